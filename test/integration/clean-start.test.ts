// A district started clean (ONEMAP_SEED=none, `npm start -- --empty`): a database with the migrations only has
// no synthetic row, health says synthetic=false, every data layer reports empty, the data page lists them with
// nothing to download; a start does not seed it once it is marked clean or holds a district of its own.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { DATA_LAYERS } from '../../common/api/data.ts';
import { repoRoot } from '../../scripts/db.ts';
import { markClean, needsSeed, seedMode } from '../../scripts/seed-when-empty.ts';
import { SettingError } from '../../server/settings.ts';
import { loginAs, useTestApp } from '../helpers/app.ts';
import { createTestDatabase } from '../helpers/db.ts';

const ctx = useTestApp({}, true);

describe('a database with migrations only', () => {
  it('health: synthetic=false, no synthetic layer; the instance (host:pid without ONEMAP_INSTANCE) and a primary', async () => {
    const health = await (await fetch(`${ctx.app.baseUrl}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', synthetic: false, synthetic_layers: [], role: 'primary', instance: expect.stringMatching(new RegExp(`:${process.pid}$`)) });
  });

  it('every layer reports empty, and the data page says so with no import and no change', async () => {
    const { layers } = await (await fetch(`${ctx.app.baseUrl}/api/data/layers`)).json();
    expect(layers).toHaveLength(DATA_LAYERS.length);
    for (const l of layers) expect(l, l.id).toMatchObject({ loaded: false, synthetic: false });
    const admin = await loginAs(ctx, 'admin');
    const details = await (await fetch(`${ctx.app.baseUrl}/api/data/layers/details`, { headers: admin.headers })).json();
    for (const l of details.layers) expect(l, l.id).toMatchObject({ rows: 0, synthetic_rows: 0, imports: [], import_count: 0, last_change: null });
  });

  it('an empty layer downloads as an empty file', async () => {
    const admin = await loginAs(ctx, 'admin');
    const res = await fetch(`${ctx.app.baseUrl}/api/data/layers/grids/download?format=geojson`, { headers: admin.headers });
    expect(res.status).toBe(200);
    expect((await res.json()).features).toEqual([]);
  });
});

describe('the start', () => {
  it('ONEMAP_SEED and --empty: synthetic by default, none when asked, anything else refused', () => {
    expect(seedMode([], undefined)).toBe('synthetic');
    expect(seedMode([], 'synthetic')).toBe('synthetic');
    expect(seedMode([], 'none')).toBe('none');
    expect(seedMode(['--empty'], undefined)).toBe('none');
    expect(() => seedMode([], 'empty')).toThrow(SettingError);
  });

  it('an empty database is seeded by a plain start until it is marked clean or holds a district', async () => {
    expect(await needsSeed(ctx.db)).toBe(true);
    await markClean(ctx.db);
    expect(await needsSeed(ctx.db)).toBe(false);
    await ctx.db.query(`DELETE FROM dataset_info WHERE key = 'seed'`);
    await ctx.db.query(`INSERT INTO districts (code, name, geom) VALUES ('420106', '武昌区', ST_Multi(ST_MakeEnvelope(114.28, 30.5, 114.4, 30.6, 4326)))`);
    expect(await needsSeed(ctx.db)).toBe(false);
    const health = await (await fetch(`${ctx.app.baseUrl}/api/health`)).json();
    expect(health.synthetic).toBe(false);
    await ctx.db.query(`DELETE FROM districts`);
  });

  it('npm start runs the built server with plain Node (dist-server/, built when stale) and it answers /api/health', async () => {
    const db = await createTestDatabase();
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = s.address() as net.AddressInfo;
        s.close(() => resolve(p));
      });
    });
    // What package.json's start runs; the database given, so the embedded one is not touched.
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: repoRoot, env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const exited = new Promise((r) => child.once('exit', r));
    try {
      let status = 0;
      for (const end = Date.now() + 120_000; status !== 200 && child.exitCode === null && Date.now() < end;) {
        status = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.status, () => 0);
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status, output).toBe(200);
      expect(output).toContain('is running');
    } finally {
      child.kill('SIGTERM');
      await exited;
      await db.drop();
    }
  }, 180_000);
});
