// `npm run cluster` driven end to end: one cluster for the whole file (a small primary of its own, seeded
// with 2,000 cases once and reused, its streaming replica, two app instances, HAProxy), in its own run dir and
// ports so that it clashes neither with the test database nor with another checkout's cluster.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTERS_DIR, postgresOwnedDir, repoRoot, startCluster, stopCluster } from '../../scripts/db.ts';
import { startClusterRun, stopClusterRun, type ClusterOptions, type ClusterState } from '../../scripts/cluster/run.ts';
import { serverStates } from '../../scripts/cluster/haproxy.ts';
import { waitFor } from '../../scripts/cluster/processes.ts';
import { freePortFrom as freePort } from '../../server/ports.ts';
import { tilesCovering } from '../../server/tiles/tilemath.ts';
import { decodeTile } from '../helpers/mvt.ts';
import { sseStream } from '../helpers/sse.ts';
import { followStream } from '../helpers/sse-follow.ts';

const key = createHash('sha1').update(repoRoot).digest('hex').slice(0, 8);
const runDir = path.join(repoRoot, '.data', 'cluster-test');
let opts: ClusterOptions;
let s: ClusterState;
let db: pg.Client;
let bal: string;
const direct = (n: number) => `http://127.0.0.1:${s.instances[n].port}`;

beforeAll(async () => {
  const port = await freePort(18300);
  opts = {
    runDir, host: '127.0.0.1', port, instances: 2, instanceFirstPort: port + 1,
    primaryDir: postgresOwnedDir(`${CLUSTERS_DIR}/cluster-test-${key}/primary`), primaryFirstPort: 54500, replicaFirstPort: 54520,
    env: { SEED_CASES: '2000', ONEMAP_POOL_SIZE: '8' }, log: () => {},
  };
  s = await startClusterRun(opts);
  bal = s.url.replace(/\/$/, '');
  db = new pg.Client({ connectionString: s.primary.url });
  await db.connect();
}, 15 * 60_000);

afterAll(async () => {
  await db?.end();
  await stopClusterRun(runDir, () => {});
}, 120_000);

let nextAddress = 0;
/**
 * A citizen's report (Open311) as the phones' outbox sends it: its own client id and token, sent again with
 * them when no answer came (a connection dropped as an instance died), so it is made once and acknowledged
 * once. Each report from an address of its own (the write limit is per address).
 */
async function report(base: string, at: { x: number; y: number }, description: string) {
  const body = new URLSearchParams({
    service_code: 'E0701', lat: String(at.y), long: String(at.x), description,
    x_client_id: randomUUID(), x_evaluation_token: randomBytes(24).toString('base64url'),
  }).toString();
  const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `10.42.0.${++nextAddress}` };
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${base}/open311/v2/requests.json`, { method: 'POST', headers, body }).catch((err: Error) => {
      if (attempt >= 3) throw err;
      return null;
    });
    if (!res) continue;
    // As the outbox does (src/api/client.ts, unreachable): a balancer's 502/503/504 while an instance dies is
    // sent again; the client id makes the second sending find the first's case if the first got through.
    if ([502, 503, 504].includes(res.status) && attempt < 3) { await res.arrayBuffer(); continue; }
    return { status: res.status, id: res.status < 300 ? ((await res.json()) as { service_request_id: string }[])[0].service_request_id : null };
  }
}

async function gridPoint(offset: number) {
  const { rows: [g] } = await db.query<{ x: number; y: number }>(`SELECT ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM grids ORDER BY code LIMIT 1 OFFSET $1`, [offset]);
  return g;
}

describe('npm run cluster', () => {
  it('runs a primary, a streaming replica, two instances and HAProxy; /api/health names each instance and its primary', async () => {
    const health = await Promise.all([0, 1].map(async (n) => (await fetch(`${direct(n)}/api/health`)).json()));
    expect(health.map((h) => [h.instance, h.role])).toEqual([['app-1', 'primary'], ['app-2', 'primary']]);
    const servers = await serverStates(s.balancer.socket);
    expect(servers!.filter((x) => x.backend === 'app').map((x) => `${x.server} ${x.status}`)).toEqual(['app-1 UP', 'app-2 UP']);
    const replica = new pg.Client({ connectionString: s.replica!.url });
    await replica.connect();
    expect((await replica.query('SELECT pg_is_in_recovery() AS r')).rows[0].r).toBe(true);
    await replica.end();
  });

  it('a report through the balancer is read back through either instance at once', async () => {
    const made = await report(bal, await gridPoint(11), '集群: 经负载均衡上报');
    expect(made.status).toBe(201);
    const read = await Promise.all([0, 1].map(async (n) => {
      const res = await fetch(`${direct(n)}/open311/v2/requests/${made.id}.json`);
      return [res.status, ((await res.json()) as { service_request_id: string }[])[0]?.service_request_id];
    }));
    expect(read).toEqual([[200, made.id], [200, made.id]]);
  });

  it('a tile invalidated by a write on instance 1 is fresh on instance 2 within a second', async () => {
    const at = await gridPoint(23);
    const { x, y } = tilesCovering([at.x, at.y, at.x, at.y], 18)[0];
    const tile = async () => {
      const res = await fetch(`${direct(1)}/tiles/cases/18/${x}/${y}.mvt`);
      expect(res.status).toBeLessThan(300);
      const layers = decodeTile(new Uint8Array(await res.arrayBuffer()));
      return (layers.cases?.features ?? []).map((f) => f.properties.case_no);
    };
    await tile(); // now in instance 2's cache
    const made = await report(direct(0), at, '集群: 瓦片失效');
    const writtenAt = Date.now();
    let freshAsked = 0;
    await waitFor('the new case in instance 2\'s tile', async () => {
      const asked = Date.now();
      if (!(await tile()).includes(made.id!)) return false;
      freshAsked = asked;
      return true;
    }, 5000, 20);
    // Measured from the write's answer to the first request that got the new case (not to its answer).
    expect(freshAsked - writtenAt).toBeLessThan(1000);
  });

  it('an SSE client on instance 2 sees a write made through instance 1', async () => {
    const stream = sseStream(`${direct(1)}/api/live?kinds=case`, { 'x-forwarded-for': '10.43.0.1' });
    await stream.opened;
    const made = await report(direct(0), await gridPoint(31), '集群: 实时事件');
    await stream.until(() => stream.events.some((e) => e.data.case_no === made.id));
    await stream.close();
  });

  it('instance 1 killed: the balancer routes around it within 2 s, no acknowledged write is lost, pages reconnect with Last-Event-ID and miss no event; the replica stopped: no errors; instance 1 restarted: it rejoins', async () => {
    // Two pages through the balancer (leastconn puts them on different instances) and one on instance 2 directly as the reference.
    const pages = [followStream(`${bal}/api/live?kinds=case`, { 'x-forwarded-for': '10.44.0.1' }), followStream(`${bal}/api/live?kinds=case`, { 'x-forwarded-for': '10.44.0.2' })];
    const reference = sseStream(`${direct(1)}/api/live?kinds=case`, { 'x-forwarded-for': '10.44.0.3' });
    await reference.opened;
    await waitFor('both pages connected', () => pages.every((p) => p.servedBy.length > 0), 10_000, 20);
    expect(pages.map((p) => p.servedBy[0]).sort()).toEqual(['app-1', 'app-2']);
    const before = await report(bal, await gridPoint(41), '集群: 故障前');
    await Promise.all(pages.map((p) => p.until(() => p.events.some((e) => e.data.case_no === before.id))));

    // Reads through the balancer all along: tiles and a report's page.
    const answers: { at: number; status: number }[] = [];
    let reading = true;
    const readers = Array.from({ length: 4 }, async (_, i) => {
      while (reading) {
        const at = Date.now();
        const url = i % 2 ? `${bal}/open311/v2/requests/${before.id}.json` : `${bal}/tiles/cases/14/${13360 + (answers.length % 8)}/6747.mvt`;
        const status = await fetch(url).then(async (r) => { await r.arrayBuffer(); return r.status; }, () => 0);
        answers.push({ at, status });
      }
    });
    await waitFor('reads flowing', () => answers.length >= 20, 10_000, 20);

    const killedAt = Date.now();
    process.kill(s.instances[0].pid, 'SIGKILL');
    const during: { status: number; id: string | null }[] = [];
    for (let i = 0; i < 4; i++) during.push(await report(bal, await gridPoint(50 + i), `集群: 故障中 ${i}`));
    await waitFor('2.5 s of reads after the kill', () => answers.some((a) => a.at > killedAt + 2500), 20_000, 50);

    // Acknowledged writes are all there; the pages (the one on app-1 reconnected to app-2) have every event the reference has.
    const acked = during.filter((w) => w.status === 200 || w.status === 201).map((w) => w.id!);
    expect(acked.length).toBe(during.length);
    const { rows } = await db.query('SELECT case_no FROM cases WHERE case_no = ANY($1)', [acked]);
    expect(rows.length).toBe(acked.length);
    await reference.until(() => acked.every((id) => reference.events.some((e) => e.data.case_no === id)));
    const since = Number(reference.events.find((e) => e.data.case_no === before.id)!.id);
    const expected = reference.events.filter((e) => Number(e.id) > since).map((e) => e.id);
    for (const p of pages) await p.until(() => expected.every((id) => p.events.some((e) => e.id === id)));
    const moved = pages.find((p) => p.servedBy[0] === 'app-1')!;
    expect(moved.servedBy.at(-1)).toBe('app-2');

    // The replica stopped: reads through the balancer go on without errors.
    const replicaStoppedAt = Date.now();
    await stopCluster(s.replica!.dir!, 'fast');
    await waitFor('reads after the replica stopped', () => answers.filter((a) => a.at > replicaStoppedAt).length >= 40, 20_000, 20);
    reading = false;
    await Promise.all(readers);
    const failed = answers.filter((a) => a.status !== 200 && a.status !== 204);
    expect(failed.filter((a) => a.at > killedAt + 2000)).toEqual([]);
    expect(answers.filter((a) => a.at > killedAt + 2000).length).toBeGreaterThan(20);

    // Instance 1 restarted (start again starts what is down: instance 1 and the replica): HAProxy routes to it again.
    await startCluster(s.replica!.dir!, s.replica!.port!);
    s = await startClusterRun(opts);
    await waitFor('HAProxy to see app-1 up', async () => (await serverStates(s.balancer.socket))?.some((x) => x.server === 'app-1' && x.backend === 'app' && x.status === 'UP') ?? false, 10_000, 50);
    const servedBy = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${bal}/api/health`);
      expect(res.status).toBe(200);
      servedBy.add(`${res.headers.get('x-served-by')}=${((await res.json()) as { instance: string }).instance}`);
    }
    expect([...servedBy].sort()).toEqual(['app-1=app-1', 'app-2=app-2']);
    await Promise.all([...pages.map((p) => p.close()), reference.close()]);
  }, 120_000);
});
