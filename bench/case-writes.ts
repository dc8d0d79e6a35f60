// `npm run bench -- case-writes [--clients 64] [--seconds 15] [--rounds 2]`: case reports and workflow steps
// from many clients at once through the real server, with the low-zoom counts kept two ways on the same
// scratch copy of the database, alternated round by round:
//   baseline — migration 005's way: each write adds to its cells at levels 0–16 in place, cells taken in one
//              order (as the server's writes used to lock them), so every writer queues on the level-0 row;
//   deltas   — migration 013's way (the current code): each write appends its changes, the server folds them.
// Reported: writes/s and latency per kind, the ratio deltas ÷ baseline, deadlocks, and whether the counts
// match the cases exactly afterwards.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { adminUrl, ensureServer } from '../scripts/db.ts';
import { buildApp } from '../server/app.ts';
import { cellMismatches } from '../server/cases/cell-fold.ts';
import { createUser } from '../server/auth/users.ts';
import { migrate } from '../server/db/migrate.ts';
import { arg, copyDatabase, loadAverage, machine, pointsInGrids, writeResults } from './shared.ts';
import { percentile } from './stats.ts';

const SOURCE = 'wuchang';
const SCRATCH = 'wuchang_case_writes';
type Variant = 'baseline' | 'deltas';
type Kind = 'report' | 'accept';

/** Migration 005's trigger body, writing to the table that is now case_cell_totals, in (z, cx, cy) order. */
const IN_PLACE = `CREATE OR REPLACE FUNCTION case_cells_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT geom3857, case_is_open(status), 1 FROM onemap_new_rows'
    WHEN 'DELETE' THEN 'SELECT geom3857, case_is_open(status), -1 FROM onemap_old_rows'
    ELSE 'SELECT geom3857, case_is_open(status), -1 FROM onemap_old_rows UNION ALL SELECT geom3857, case_is_open(status), 1 FROM onemap_new_rows'
  END;
BEGIN
  EXECUTE 'INSERT INTO case_cell_totals AS c (z, cx, cy, n, n_open, sx, sy)
    SELECT k.z, k.cx, k.cy, sum(r.s), coalesce(sum(r.s) FILTER (WHERE r.open), 0), sum(r.s * ST_X(r.g)), sum(r.s * ST_Y(r.g))
    FROM (' || changed || ') r(g, open, s), case_cell_rows(r.g) k GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (z, cx, cy) DO UPDATE
      SET n = c.n + excluded.n, n_open = c.n_open + excluded.n_open, sx = c.sx + excluded.sx, sy = c.sy + excluded.sy';
  RETURN NULL;
END $$`;

interface Sample { kind: Kind; ms: number; status: number }
interface RunResult { variant: Variant; round: number; seconds: number; samples: Sample[]; deadlocks: number }

export async function run(args: string[]): Promise<void> {
  const clients = arg(args, 'clients', 64);
  const seconds = arg(args, 'seconds', 15);
  const rounds = arg(args, 'rounds', 2);
  const { url } = await ensureServer();
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${SCRATCH} WITH (FORCE)`);
  const copy = await copyDatabase(admin, url, SOURCE, SCRATCH, 'case-writes');
  const dbUrl = adminUrl(url, SCRATCH);
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;
  try {
    await migrate(db);
    const deltasFn = (await db.query<{ def: string }>(`SELECT pg_get_functiondef('case_cells_apply()'::regprocedure) AS def`)).rows[0].def;
    const password = randomBytes(12).toString('hex');
    await createUser(db, { username: 'bench-dispatcher', password, role: 'dispatcher' });
    const items = (await db.query<{ code: string }>('SELECT code FROM case_items ORDER BY code')).rows.map((r) => r.code);
    const pts = await pointsInGrids(db, 400);
    app = await buildApp({ databaseUrl: dbUrl, trustProxy: true });
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}`;
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-dispatcher', password }) });
    const token = (await login.json() as { token: string }).token;
    let address = 0;
    // Each request from its own address: the per-address write limit is for people, not for this test.
    const post = async (path: string, body: unknown): Promise<{ status: number; ms: number; json: { id?: number } | null }> => {
      const a = ++address;
      const t0 = performance.now();
      const res = await fetch(base + path, {
        method: 'POST', body: JSON.stringify(body),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-forwarded-for': `10.${(a >> 16) & 255}.${(a >> 8) & 255}.${a & 255}` },
      });
      const json = await res.json().catch(() => null) as { id?: number } | null;
      return { status: res.status, ms: performance.now() - t0, json };
    };
    const deadlocks = async () => Number((await db.query(`SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`)).rows[0].deadlocks);

    const once = async (variant: Variant, round: number): Promise<RunResult> => {
      await db.query(variant === 'baseline' ? IN_PLACE : deltasFn);
      await db.query('SELECT case_cells_fold()');
      const d0 = await deadlocks();
      const samples: Sample[] = [];
      const end = performance.now() + seconds * 1000;
      let seq = 0;
      await Promise.all(Array.from({ length: clients }, async (_, c) => {
        const mine: number[] = [];
        while (performance.now() < end) {
          const i = seq++;
          // Half reports, half the next step (accept) of a case this client reported.
          if (mine.length && i % 2) {
            const r = await post(`/api/cases/${mine.pop()}/actions/accept`, {});
            samples.push({ kind: 'accept', ms: r.ms, status: r.status });
          } else {
            const [lon, lat] = pts[(i * 7 + c) % pts.length];
            const r = await post('/api/cases', { item_code: items[i % items.length], lon, lat, description: '并发写入基准 case-writes bench' });
            samples.push({ kind: 'report', ms: r.ms, status: r.status });
            if (r.status === 201 && r.json?.id) mine.push(r.json.id);
          }
        }
      }));
      await new Promise((r) => setTimeout(r, 1500)); // a deadlock is counted when its victim reports statistics
      const result = { variant, round, seconds, samples, deadlocks: (await deadlocks()) - d0 };
      const ok = samples.filter((s) => s.status < 300).length;
      console.log(`[case-writes] round ${round} ${variant}: ${(ok / seconds).toFixed(1)} writes/s, ${samples.length - ok} not 2xx, ${result.deadlocks} deadlocks`);
      return result;
    };

    const runs: RunResult[] = [];
    for (let r = 1; r <= rounds; r++) {
      // Alternated, and the other way round each round, so that drift on a shared machine hits both alike.
      const order: Variant[] = r % 2 ? ['baseline', 'deltas'] : ['deltas', 'baseline'];
      for (const v of order) runs.push(await once(v, r));
    }
    await db.query(deltasFn);
    await db.query('SELECT case_cells_fold()');
    const mismatches = await cellMismatches(db);
    report({ clients, seconds, rounds, copy, runs, mismatches });
  } finally {
    await app?.close();
    await db.end();
    await admin.query(`DROP DATABASE IF EXISTS ${SCRATCH} WITH (FORCE)`);
    await admin.end();
  }
}

function summarise(runs: RunResult[], kind: Kind | 'all') {
  const s = runs.flatMap((r) => r.samples).filter((x) => kind === 'all' || x.kind === kind);
  const ok = s.filter((x) => x.status < 300);
  const ms = ok.map((x) => x.ms);
  const secs = runs.reduce((t, r) => t + r.seconds, 0);
  return { perSecond: ok.length / secs, p50: percentile(ms, 50) ?? NaN, p95: percentile(ms, 95) ?? NaN, p99: percentile(ms, 99) ?? NaN, failed: s.length - ok.length };
}

function report(r: { clients: number; seconds: number; rounds: number; copy: { method: string; seconds: number }; runs: RunResult[]; mismatches: number }) {
  const of = (v: Variant) => r.runs.filter((x) => x.variant === v);
  const rows: string[] = [];
  const json: Record<string, unknown> = {};
  for (const kind of ['all', 'report', 'accept'] as const) {
    const [b, d] = [summarise(of('baseline'), kind), summarise(of('deltas'), kind)];
    json[kind] = { baseline: b, deltas: d };
    rows.push(`| ${kind} | ${b.perSecond.toFixed(1)} | ${d.perSecond.toFixed(1)} | **${(d.perSecond / b.perSecond).toFixed(2)}×** | ${b.p50.toFixed(0)} / ${b.p95.toFixed(0)} / ${b.p99.toFixed(0)} | ${d.p50.toFixed(0)} / ${d.p95.toFixed(0)} / ${d.p99.toFixed(0)} | ${(b.p50 / d.p50).toFixed(2)}× | ${b.failed} / ${d.failed} |`);
  }
  const perRun = r.runs.map((x) => {
    const s = summarise([x], 'all');
    return `| ${x.round} | ${x.variant} | ${s.perSecond.toFixed(1)} | ${s.p50.toFixed(0)} | ${s.p95.toFixed(0)} | ${s.failed} | ${x.deadlocks} |`;
  });
  const md = [
    `# Case writes: in-place counts (migration 005) vs appended deltas (migration 013)`,
    '',
    `${new Date().toISOString()} · ${machine()} · load average ${loadAverage().join(' / ')} · ${r.clients} clients × ${r.seconds} s × ${r.rounds} rounds per variant`,
    '',
    `Through the real server (\`buildApp\`, pool 16) on a scratch copy of the dev database (\`${r.copy.method}\`, ${r.copy.seconds.toFixed(1)} s), one dispatcher account, each request from its own address. Each client alternates a report (\`POST /api/cases\` at a point inside a unit grid) with accepting a case it reported (\`POST /api/cases/{id}/actions/accept\`), closed-loop. The baseline swaps in migration 005's trigger (counts added to the cells of levels 0–16 in place, in cell order — every writer waits for the level-0 row until the writer before it commits); the variants alternate round by round, the order reversed each round.`,
    '',
    '| writes | baseline /s | deltas /s | ratio | baseline p50 / p95 / p99 ms | deltas p50 / p95 / p99 ms | p50 ratio | not 2xx (b / d) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    '| round | variant | writes/s | p50 ms | p95 ms | not 2xx | deadlocks |',
    '|---|---|---|---|---|---|---|',
    ...perRun,
    '',
    `Afterwards (deltas folded): cells that differ from a recount of the cases at every level: **${r.mismatches}**.`,
    '',
  ].join('\n');
  writeResults('case-writes', { ...r, runs: r.runs.map(({ samples, ...x }) => ({ ...x, requests: samples.length })), summary: json }, md);
  console.log(md);
}
