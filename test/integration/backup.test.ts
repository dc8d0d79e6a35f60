// Backup and restore round trip with pg_dump/pg_restore: every table comes back with the same rows (and a
// change made after the backup is gone after the restore); a broken dump leaves the database untouched.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { backup, restore } from '../../scripts/backup.ts';
import { useTestDatabase } from '../helpers/db.ts';

const t = useTestDatabase();
const dir = mkdtempSync(path.join(os.tmpdir(), 'onemap-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COUNTED = ['cases', 'case_transitions', 'pipes', 'manholes', 'pipe_condition', 'cameras', 'observations', 'alarms', 'grids', 'users', 'audit_log'];
async function counts(client: pg.Client) {
  const out: Record<string, number> = {};
  for (const table of COUNTED) out[table] = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  return out;
}

describe('npm run backup / restore', () => {
  it('restores every row as it was at the backup, and a failed restore changes nothing', async () => {
    await t.client.query(`INSERT INTO users (username, display_name, password_hash, role) VALUES ('backup.check', '备份', 'x', 'admin')`);
    const before = await counts(t.client);
    const file = path.join(dir, 'db.dump');
    backup(t.db.url, file);
    // A change after the backup: gone after the restore.
    await t.client.query(`DELETE FROM users WHERE username = 'backup.check'`);
    const name = new URL(t.db.url).pathname.slice(1);
    await t.client.end();
    await restore(t.db.url, name, file);
    const restored = new pg.Client({ connectionString: t.db.url });
    await restored.connect();
    try {
      expect(await counts(restored)).toEqual(before);
      expect((await restored.query(`SELECT count(*)::int AS n FROM users WHERE username = 'backup.check'`)).rows[0].n).toBe(1);
      // The restored database works: PostGIS and the seeded geometry are there.
      expect((await restored.query(`SELECT ST_IsValid(geom) AS ok FROM districts LIMIT 1`)).rows[0].ok).toBe(true);

      const broken = path.join(dir, 'broken.dump');
      writeFileSync(broken, 'PGDMP not really a dump');
      await expect(restore(t.db.url, name, broken)).rejects.toThrow(/pg_restore failed/);
      expect(await counts(restored)).toEqual(before);
    } finally {
      await restored.end();
    }
    // useTestDatabase's afterAll ends its client (already ended here) and drops the database.
    (t as unknown as { client: { end(): Promise<void> } }).client.end = async () => {};
  }, 300_000);
});
