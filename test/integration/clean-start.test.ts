// A district started clean (ONEMAP_SEED=none, `npm start -- --empty`): a database with the migrations only has
// no synthetic row, health says synthetic=false, every data layer reports empty, the data page lists them with
// nothing to download; a start does not seed it once it is marked clean or holds a district of its own.
import { describe, expect, it } from 'vitest';
import { DATA_LAYERS } from '../../common/api/data.ts';
import { markClean, needsSeed, seedMode } from '../../scripts/seed-when-empty.ts';
import { SettingError } from '../../server/settings.ts';
import { loginAs, useTestApp } from '../helpers/app.ts';

const ctx = useTestApp({}, true);

describe('a database with migrations only', () => {
  it('health: synthetic=false, no synthetic layer', async () => {
    const health = await (await fetch(`${ctx.app.baseUrl}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', synthetic: false, synthetic_layers: [] });
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
});
