// Migrations apply once each, in order, and a failing one leaves the database as it was.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { listFunctions, listMigrations, migrate } from '../../server/db/migrate.ts';
import { useTestDatabase } from '../helpers/db.ts';

const test = useTestDatabase();

it('the template has every migration recorded once, and re-running applies nothing', async () => {
  const { rows } = await test.client.query('SELECT version, name FROM schema_migrations ORDER BY version');
  expect(rows.map((r) => r.name)).toEqual(listMigrations().map((m) => m.name));
  expect(await migrate(test.client)).toEqual([]);
});

it('a failing migration rolls back whole and is not recorded', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mig-'));
  const next = Math.max(...listMigrations().map((m) => m.version)) + 1;
  writeFileSync(path.join(dir, `${next}_broken.sql`), `CREATE TABLE half_done (id int); INSERT INTO districts (code) VALUES ('x');`);
  const all = [...listMigrations(), ...listMigrations(dir)];
  await expect(migrate(test.client, all)).rejects.toThrow(new RegExp(`${next}_broken.sql failed and was rolled back`));
  const t = await test.client.query(`SELECT to_regclass('half_done') AS t`);
  expect(t.rows[0].t).toBeNull();
  const m = await test.client.query('SELECT count(*)::int AS n FROM schema_migrations WHERE version = $1', [next]);
  expect(m.rows[0].n).toBe(0);
});

it('every function has one definition: no two files define it, and functions/ holds those redefined over time', () => {
  const defined = [...listMigrations(), ...listFunctions()].flatMap((f) =>
    [...f.sql.matchAll(/CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+(\w+)/gi)].map((m) => `${m[1]} in ${f.name}`));
  const names = defined.map((d) => d.split(' ')[0]);
  expect(defined.filter((d, i) => names.indexOf(names[i]) !== i || names.lastIndexOf(names[i]) !== i)).toEqual([]);
  expect(names).toEqual(expect.arrayContaining(['case_cells_apply', 'case_is_overdue', 'case_is_open']));
});

it('functions/ is applied on every run: a definition changed by hand is put back', async () => {
  const from = `SELECT case_overdue_from('dispatched', '2026-01-01T00:00:00Z', NULL) AS t`;
  const before = (await test.client.query(from)).rows[0].t;
  expect(before).toEqual(new Date('2026-01-01T00:00:00Z'));
  await test.client.query(`CREATE OR REPLACE FUNCTION case_overdue_from(status text, deadline_at timestamptz, suspended_at timestamptz)
    RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$ SELECT NULL::timestamptz $$`);
  expect((await test.client.query(from)).rows[0].t).toBeNull();
  expect(await migrate(test.client)).toEqual([]);
  expect((await test.client.query(from)).rows[0].t).toEqual(before);
});

it('a failing functions file rolls the whole set back', async () => {
  const broken = [...listFunctions(), { name: 'zz_broken.sql', sql: 'CREATE OR REPLACE FUNCTION half_done() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$; SELECT no_such_column FROM cases;' }];
  await expect(migrate(test.client, listMigrations(), broken)).rejects.toThrow(/functions\/zz_broken.sql failed and was rolled back/);
  const { rows } = await test.client.query(`SELECT to_regproc('half_done') AS f`);
  expect(rows[0].f).toBeNull();
});

it('every geometry column has a spatial index', async () => {
  const { rows } = await test.client.query(`
    SELECT c.f_table_name AS t, c.f_geometry_column AS col FROM geometry_columns c
    WHERE c.f_table_schema = 'public' AND NOT EXISTS (
      SELECT 1 FROM pg_indexes i WHERE i.tablename = c.f_table_name AND i.indexdef ILIKE '%gist%(' || c.f_geometry_column || ')%')`);
  // vehicle_positions is a track table read by vehicle and time, never by area (so are its day partitions).
  expect(rows.filter((r) => !/^vehicle_positions(_default|_\d{8})?$/.test(r.t))).toEqual([]);
});

it('the remediation statuses: both CHECKs allow exactly common/enums.ts\'s, the SQL repaired/open rules agree with the domain\'s, no old "open" is left', async () => {
  const { REMEDIATION_STATUSES, REPAIRED_STATUSES } = await import('../../common/enums.ts');
  const { isOpen } = await import('../../server/domain/remediation.ts');
  for (const table of ['hazards', 'misconnections']) {
    const { rows: [c] } = await test.client.query(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = $1`, [`${table}_status_check`]);
    expect([...c.def.matchAll(/'(\w+)'/g)].map((m: RegExpMatchArray) => m[1]).sort()).toEqual([...REMEDIATION_STATUSES].sort());
  }
  const { rows } = await test.client.query(`SELECT s, remediation_is_repaired(s) AS repaired, remediation_is_open(s) AS open FROM unnest($1::text[]) s`, [[...REMEDIATION_STATUSES]]);
  expect(rows.filter((r) => r.repaired).map((r) => r.s)).toEqual([...REPAIRED_STATUSES]);
  expect(rows.filter((r) => r.open).map((r) => r.s)).toEqual(REMEDIATION_STATUSES.filter(isOpen));
  const { rows: [old] } = await test.client.query(`SELECT count(*)::int AS n FROM hazards WHERE status NOT IN ('found', 'confirmed', 'in_repair', 'fixed', 'verified', 'rejected')`);
  expect(old.n).toBe(0);
});
