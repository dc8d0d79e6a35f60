// The database goes away and comes back: the server answers 503 meanwhile, keeps running, and recovers.
// The outage is real at the network level: the app reaches PostgreSQL through a TCP relay we cut.
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp, type App } from '../../server/app.ts';
import { tilesCovering } from '../../server/tiles/tilemath.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

class Relay {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}
  async open(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); s.on('error', () => {}); }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', () => r()));
    this.port = (this.server.address() as net.AddressInfo).port;
  }
  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }
}

let db: TestDatabase;
let relay: Relay;
let app: App;
let base: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const u = new URL(db.url);
  relay = new Relay({ host: u.hostname, port: Number(u.port) });
  await relay.open();
  u.port = String(relay.port);
  app = await buildApp({ databaseUrl: u.toString() });
  base = await app.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const waitFor = async (fn: () => Promise<boolean>, ms: number) => {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await fn()) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not within ${ms} ms`);
};

it('answers 503 while the database is down and recovers by itself when it returns', async () => {
  const t = tilesCovering([114.31, 30.55, 114.31, 30.55], 13)[0];
  const uncached = tilesCovering([114.34, 30.58, 114.34, 30.58], 13)[0];
  expect((await fetch(`${base}/api/health`)).status).toBe(200);
  expect((await fetch(`${base}/tiles/grids/13/${t.x}/${t.y}.mvt`)).status).toBe(200);

  await relay.cut();
  const health = await fetch(`${base}/api/health`);
  expect(health.status).toBe(503);
  expect((await health.json()).status).toBe('unavailable');
  const tile = await fetch(`${base}/tiles/grids/13/${uncached.x}/${uncached.y}.mvt`);
  expect(tile.status).toBe(503);
  const body = await tile.json();
  expect(body.message).toMatch(/database/);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts|node_modules/); // no stack trace
  // Without the change feed the cache cannot know what changed elsewhere, so it serves nothing stale.
  expect(app.tiles.cache.has('grids', 13, t.x, t.y)).toBe(false);
  expect((await fetch(`${base}/tiles/grids/13/${t.x}/${t.y}.mvt`)).status).toBe(503);

  await relay.open();
  const took = await waitFor(async () => (await fetch(`${base}/api/health`)).status === 200, 5000);
  expect(took).toBeLessThan(5000);
  expect((await fetch(`${base}/tiles/grids/13/${uncached.x}/${uncached.y}.mvt`)).status).toBe(200);
  // The change feed reconnected too: it listens again.
  await waitFor(async () => app.changes.connected, 5000);
});
