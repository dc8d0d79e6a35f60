// Vector tiles end to end: a real server over a seeded PostGIS copy, tiles decoded with a real decoder.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { tilesCovering } from '../../server/tiles/tilemath.ts';
import { districtBounds, sessionAs, useTestApp } from '../helpers/app.ts';
import { decodeTile, tileVersion } from '../helpers/mvt.ts';
import { CLUSTER_CELLS, clusterOffset } from '../../common/clusters.ts';

const LAYERS = ['basemap', 'pipes', 'manholes', 'hazards', 'misconnections', 'grids', 'cameras', 'sensors', 'facilities', 'cases'];
const MAX_TILE = 500 * 1024;
const ctx = useTestApp();
let district: [number, number, number, number];

async function tile(layer: string, z: number, x: number, y: number, headers: Record<string, string> = {}) {
  const res = await fetch(`${ctx.app.baseUrl}/tiles/${layer}/${z}/${x}/${y}.mvt`, { headers: { 'accept-encoding': 'identity', ...headers } });
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

beforeAll(async () => {
  district = await districtBounds(ctx.db);
});

describe('catalogue', () => {
  it('lists every layer of the README', async () => {
    const index = await (await fetch(`${ctx.app.baseUrl}/tiles/index.json`)).json();
    expect(index.map((l: { id: string }) => l.id).sort()).toEqual([...LAYERS].sort());
  });

  it.each(LAYERS)('%s has a TileJSON 3.0.0 with vector layers and fields', async (id) => {
    const res = await fetch(`${ctx.app.baseUrl}/tiles/${id}.json`);
    expect(res.status).toBe(200);
    const tj = await res.json();
    expect(tj.tilejson).toBe('3.0.0');
    expect(tj.tiles[0]).toMatch(new RegExp(`^${ctx.app.baseUrl}/tiles/${id}/\\{z\\}/\\{x\\}/\\{y\\}\\.mvt\\?v=[0-9a-f]{16}$`));
    expect(tj.minzoom).toBeLessThanOrEqual(8);
    expect(tj.maxzoom).toBeGreaterThanOrEqual(18);
    expect(tj.bounds).toHaveLength(4);
    // Layers that can hold imported networks (anywhere in the world) must let the map ask for tiles there.
    if (id === 'pipes' || id === 'manholes') expect(tj.bounds).toEqual([-180, -85.0511, 180, 85.0511]);
    else expect(tj.bounds[0]).toBeGreaterThan(114);
    expect(tj.vector_layers.length).toBeGreaterThan(0);
    for (const v of tj.vector_layers) expect(Object.keys(v.fields).length).toBeGreaterThan(0);
  });
});

describe('tile content', () => {
  it('pipes at z15 are reaches with their attributes, inside the extent', async () => {
    const { rows } = await ctx.db.query(`SELECT ST_X(ST_Centroid(geom)) x, ST_Y(ST_Centroid(geom)) y FROM pipes WHERE network = 'main' ORDER BY id LIMIT 1`);
    const t = tilesCovering([rows[0].x, rows[0].y, rows[0].x, rows[0].y], 15)[0];
    const { res, bytes } = await tile('pipes', 15, t.x, t.y);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    const layer = decodeTile(bytes).pipes;
    expect(layer.extent).toBe(4096);
    expect(layer.features.length).toBeGreaterThan(0);
    const f = layer.features[0];
    expect(f.type).toBe(2);
    expect(typeof f.id).toBe('number');
    expect(['rain', 'sewage', 'combined']).toContain(f.properties.usage);
    expect(f.properties.diameter_mm).toBeGreaterThan(0);
    for (const ring of f.geometry) for (const p of ring) {
      expect(p.x).toBeGreaterThanOrEqual(-64);
      expect(p.x).toBeLessThanOrEqual(4096 + 64);
    }
  });

  it('basemap carries water, district, roads and labels', async () => {
    const t = tilesCovering([114.33, 30.555, 114.33, 30.555], 12)[0];
    const layers = decodeTile((await tile('basemap', 12, t.x, t.y)).bytes);
    for (const name of ['water', 'district', 'streets', 'roads']) expect(layers[name]?.features.length, name).toBeGreaterThan(0);
  });

  it.each(['cases', 'cameras', 'manholes'])('%s clusters sit one per cell of the grid, at the centre of the layer\'s own quadrant, so they never overlap', async (layer) => {
    let clusters = 0;
    // Cases also at z1, where a tile merges level-0 aggregates into the grid.
    for (const z of layer === 'cases' ? [1, 11, 12, 13] : [11, 12, 13]) {
      for (const t of tilesCovering(district, z)) {
        const { res, bytes } = await tile(layer, z, t.x, t.y);
        if (res.status === 204) continue;
        const { extent, features } = decodeTile(bytes)[layer];
        const cell = extent / CLUSTER_CELLS;
        const { east, south } = clusterOffset(layer);
        const cells = new Set<string>();
        for (const f of features.filter((x) => x.properties.count !== undefined)) {
          const { x, y } = f.geometry[0][0];
          const [i, j] = [Math.floor(x / cell), Math.floor(y / cell)];
          expect(cells.has(`${i},${j}`), `${layer} ${z}/${t.x}/${t.y} cell ${i},${j} twice`).toBe(false);
          cells.add(`${i},${j}`);
          // MVT coordinates are rounded to whole units.
          expect(Math.abs(x - (i + east) * cell), `${layer} ${z}/${t.x}/${t.y}`).toBeLessThanOrEqual(0.5);
          expect(Math.abs(y - (j + south) * cell), `${layer} ${z}/${t.x}/${t.y}`).toBeLessThanOrEqual(0.5);
          clusters++;
        }
      }
    }
    expect(clusters).toBeGreaterThan(0);
  });

  it('cases are never dropped: clusters at z8 and z10 add up to every case', async () => {
    const total = Number((await ctx.db.query('SELECT count(*) FROM cases')).rows[0].count);
    expect(total).toBeGreaterThan(0);
    for (const z of [8, 10]) {
      let sum = 0;
      const seenIn = new Map<number, string[]>(); // point id → tiles showing it (buffers repeat neighbours' points)
      for (const t of tilesCovering(district, z)) {
        const { res, bytes } = await tile('cases', z, t.x, t.y);
        if (res.status === 204) continue;
        for (const f of decodeTile(bytes).cases.features) {
          if (f.properties.count !== undefined) sum += Number(f.properties.count);
          else seenIn.set(f.id!, [...(seenIn.get(f.id!) ?? []), `${t.x}/${t.y}`]);
        }
      }
      // Each point counts once, in the tile it lies in.
      const { rows } = await ctx.db.query(`SELECT id, ST_X(geom) x, ST_Y(geom) y FROM cases WHERE id = ANY($1)`, [[...seenIn.keys()]]);
      for (const r of rows) {
        const home = tilesCovering([r.x, r.y, r.x, r.y], z)[0];
        if (seenIn.get(Number(r.id))!.includes(`${home.x}/${home.y}`)) sum += 1;
      }
      expect(sum, `z${z}`).toBe(total);
    }
  });

  it('pipes below z14 are merged, not dropped: their counts add up to every reach', async () => {
    const total = Number((await ctx.db.query('SELECT count(*) FROM pipes')).rows[0].count);
    let sum = 0;
    for (const t of tilesCovering(district, 9)) {
      const { res, bytes } = await tile('pipes', 9, t.x, t.y);
      if (res.status === 204) continue;
      for (const f of decodeTile(bytes).pipes.features) sum += Number(f.properties.count);
    }
    // A reach crossing a tile edge is counted in each tile it touches.
    expect(sum).toBeGreaterThanOrEqual(total);
    expect(sum).toBeLessThan(total * 1.05);
  });

  it('no tile of any layer is over 500 KB, from z8 to z14 across the district', async () => {
    const sizes: { layer: string; z: number; size: number }[] = [];
    for (const layer of LAYERS) {
      for (const z of [8, 10, 12]) {
        for (const t of tilesCovering(district, z)) sizes.push({ layer, z, size: (await tile(layer, z, t.x, t.y)).bytes.length });
      }
      // z14: a sample of the busiest tiles (the centre of the old town and of the case clusters).
      for (const t of tilesCovering([114.3, 30.54, 114.34, 30.57], 14).slice(0, 12)) sizes.push({ layer, z: 14, size: (await tile(layer, 14, t.x, t.y)).bytes.length });
    }
    const biggest = sizes.sort((a, b) => b.size - a.size)[0];
    expect(biggest.size, JSON.stringify(biggest)).toBeLessThan(MAX_TILE);
  });

  it('GDAL reads our tiles (ogrinfo, MVT driver)', async () => {
    const t = tilesCovering([114.31, 30.55, 114.31, 30.55], 14)[0];
    const dir = mkdtempSync(path.join(tmpdir(), 'mvt-'));
    const file = path.join(dir, '14', String(t.x), `${t.y}.pbf`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, (await tile('pipes', 14, t.x, t.y)).bytes);
    const out = execFileSync('ogrinfo', ['-ro', '-so', '-al', file], { encoding: 'utf8' });
    expect(out).toMatch(/Layer name: pipes/);
    const count = Number(/Feature Count: (\d+)/.exec(out)?.[1]);
    expect(count).toBeGreaterThan(0);
    expect(out).toMatch(/usage: String/);
  });
});

describe('HTTP behaviour', () => {
  const here = tilesCovering([114.31, 30.55, 114.31, 30.55], 13)[0];

  it('gzip and brotli by Accept-Encoding decode to the identity bytes, with ETag and 304', async () => {
    const plain = await tile('grids', 13, here.x, here.y);
    const gz = await fetch(`${ctx.app.baseUrl}/tiles/grids/13/${here.x}/${here.y}.mvt`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const br = await fetch(`${ctx.app.baseUrl}/tiles/grids/13/${here.x}/${here.y}.mvt`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toMatch(/Accept-Encoding/i);
    // fetch decodes transparently; compare the decoded bodies with the identity bytes.
    expect(Buffer.from(await gz.arrayBuffer()).equals(Buffer.from(plain.bytes))).toBe(true);
    expect(Buffer.from(await br.arrayBuffer()).equals(Buffer.from(plain.bytes))).toBe(true);
    const etag = plain.res.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await tile('grids', 13, here.x, here.y, { 'if-none-match': etag });
    expect(again.res.status).toBe(304);
    const brAgain = await tile('grids', 13, here.x, here.y, { 'if-none-match': br.headers.get('etag')!, 'accept-encoding': 'br' });
    expect(brAgain.res.status).toBe(304);
  });

  it('compressed bytes on the wire are real gzip and brotli', async () => {
    const { request } = await import('node:http');
    const raw = (enc: string) => new Promise<Buffer>((resolve, reject) => {
      request(`${ctx.app.baseUrl}/tiles/grids/13/${here.x}/${here.y}.mvt`, { headers: { 'accept-encoding': enc } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks)));
      }).on('error', reject).end();
    });
    const plain = Buffer.from((await tile('grids', 13, here.x, here.y)).bytes);
    expect(gunzipSync(await raw('gzip')).equals(plain)).toBe(true);
    expect(brotliDecompressSync(await raw('br')).equals(plain)).toBe(true);
  });

  it('an empty tile is 204', async () => {
    expect((await tile('pipes', 14, 0, 0)).res.status).toBe(204);
  });

  it.each([
    ['/tiles/pipes/23/0/0.mvt', 400, /z must be between 0 and 22/],
    ['/tiles/pipes/10/1024/0.mvt', 400, /x must be between 0 and 1023/],
    ['/tiles/pipes/10/0/5000.mvt', 400, /y must be between 0 and 1023/],
    ['/tiles/pipes/ten/0/0.mvt', 400, /z must be a non-negative integer/],
    ['/tiles/pipes/10/0/0.png', 400, /must end in \{y\}\.mvt/],
    ['/tiles/pipes/2/0/0.mvt', 400, /zooms 8–18/],
    ['/tiles/nosuch/10/0/0.mvt', 404, /unknown tile layer "nosuch"/],
    ['/tiles/nosuch.json', 404, /unknown tile layer/],
    ["/tiles/pipes/10/0/0%27%20OR%201=1--.mvt", 400, /y must be a non-negative integer/],
  ])('%s → %i', async (url, status, message) => {
    const res = await fetch(ctx.app.baseUrl + url);
    expect(res.status).toBe(status);
    expect((await res.json()).message).toMatch(message);
  });
});

describe('cache freshness', () => {
  it('a new case shows in fresh tiles within a second; unrelated cached tiles stay cached', async () => {
    const pt = [114.3123, 30.5481];
    const z = 17;
    const t = tilesCovering([...pt, ...pt], z)[0];
    const far = tilesCovering([114.36, 30.59, 114.36, 30.59], z)[0];
    const ids = async () => decodeTile((await tile('cases', z, t.x, t.y)).bytes).cases?.features.map((f) => f.id) ?? [];
    const before = await ids();
    await tile('cases', z, far.x, far.y);
    expect(ctx.app.server.tiles.cache.has('cases', z, far.x, far.y)).toBe(true);
    expect(ctx.app.server.tiles.cache.has('cases', z, t.x, t.y)).toBe(true);

    const { rows } = await ctx.db.query(
      `INSERT INTO cases (case_no, class_code, item_code, source, status, reported_at, geom)
       SELECT 'TEST-1', s.class_code, i.code, 'citizen', 'reported', now(), ST_SetSRID(ST_MakePoint($1, $2), 4326)
       FROM case_items i JOIN case_subclasses s ON s.code = i.subclass_code ORDER BY i.code LIMIT 1 RETURNING id`, pt);
    const id = Number(rows[0].id);
    const t0 = Date.now();
    let seen = false;
    while (Date.now() - t0 < 1000 && !seen) {
      seen = (await ids()).includes(id);
      if (!seen) await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen).toBe(true);
    expect((await ids()).length).toBe(before.length + 1);
    expect(ctx.app.server.tiles.cache.has('cases', z, far.x, far.y)).toBe(true);

    // Moving it away removes it from the old tile too.
    await ctx.db.query(`UPDATE cases SET geom = ST_SetSRID(ST_MakePoint(114.36, 30.59), 4326) WHERE id = $1`, [id]);
    await expect.poll(ids, { timeout: 1000 }).not.toContain(id);
    await ctx.db.query('DELETE FROM cases WHERE id = $1', [id]);
  });

  it('a changed pipe updates low-zoom merged tiles too', async () => {
    const t = tilesCovering([114.31, 30.55, 114.31, 30.55], 10)[0];
    const total = async () => decodeTile((await tile('pipes', 10, t.x, t.y)).bytes).pipes.features.reduce((s, f) => s + Number(f.properties.count), 0);
    const before = await total();
    await ctx.db.query(`DELETE FROM pipes WHERE id = (SELECT id FROM pipes p WHERE ST_Intersects(p.geom, ST_MakeEnvelope(114.30, 30.54, 114.32, 30.56, 4326))
                    AND NOT EXISTS (SELECT 1 FROM hazards h WHERE h.pipe_id = p.id) ORDER BY id LIMIT 1)`);
    await expect.poll(total, { timeout: 1000 }).toBe(before - 1);
  });
});

describe('composite tiles and versions', () => {
  // Near the centre at z15 every default layer has features.
  const here = tilesCovering([114.31, 30.55, 114.31, 30.55], 15)[0];
  const DEFAULT = ['basemap', 'grids', 'pipes', 'hazards', 'sensors', 'facilities'];
  const tileJson = async (spec: string) => (await fetch(`${ctx.app.baseUrl}/tiles/${spec}.json`)).json() as Promise<{ tiles: string[]; vector_layers: { id: string }[]; minzoom: number; bounds: number[] }>;
  const version = (spec: string) => tileVersion(ctx.app.baseUrl, spec);

  it('a composite tile holds the named layers with the same features as their own tiles', async () => {
    const { res, bytes } = await tile(DEFAULT.join(','), 15, here.x, here.y);
    expect(res.status).toBe(200);
    const composite = decodeTile(bytes);
    const expected: Record<string, unknown> = {};
    for (const id of DEFAULT) Object.assign(expected, decodeTile((await tile(id, 15, here.x, here.y)).bytes));
    expect(Object.keys(composite).sort()).toEqual(Object.keys(expected).sort());
    expect(composite).toEqual(expected);
    for (const id of ['grids', 'pipes', 'sensors']) expect(composite[id].features.length, id).toBeGreaterThan(0);
    // Its TileJSON: one versioned URL, every vector layer, the widest zoom range.
    const tj = await tileJson(DEFAULT.join(','));
    expect(tj.tiles[0]).toMatch(new RegExp(`/tiles/${DEFAULT.join(',')}/\\{z\\}/\\{x\\}/\\{y\\}\\.mvt\\?v=`));
    expect(tj.vector_layers.map((v) => v.id)).toEqual(expect.arrayContaining(['water', 'roads', ...DEFAULT.slice(1)]));
    expect(tj.minzoom).toBe(0);
    // Below a layer's zoom range the composite simply lacks it (pipes start at z8).
    const low = decodeTile((await tile('basemap,pipes', 6, 52, 26)).bytes);
    expect(low.pipes).toBeUndefined();
  });

  it.each([
    ['/tiles/pipes,nosuch/15/0/0.mvt', 404, /unknown tile layer "nosuch"/],
    ['/tiles/pipes,nosuch.json', 404, /unknown tile layer "nosuch"/],
    ['/tiles/pipes,pipes/15/0/0.mvt', 400, /"pipes" is named twice/],
    ['/tiles/pipes,,grids/15/0/0.mvt', 400, /empty layer name/],
    ['/tiles/basemap,pipes,manholes,hazards,misconnections,grids,cameras,sensors,facilities/15/0/0.mvt', 400, /at most 8 layers, not 9/],
    ['/tiles/pipes,grids/20/0/0.mvt', 400, /layers pipes,grids have tiles for zooms 8–18, not 20/],
    ['/tiles/pipes,grids/15/0/0.mvt?v=x', 400, /querystring\/v must match/],
  ])('%s → %i', async (url, status, message) => {
    const res = await fetch(ctx.app.baseUrl + url);
    expect(res.status).toBe(status);
    expect((await res.json()).message).toMatch(message);
  });

  it('identical composite requests share one query per layer and one assembled tile', async () => {
    const t = tilesCovering([114.30, 30.53, 114.30, 30.53], 16)[0];
    const { misses } = ctx.app.server.tiles.cache.stats;
    const { assembled } = ctx.app.server.tiles.composites.stats;
    const answers = await Promise.all([1, 2, 3].map(() => tile('grids,pipes', 16, t.x, t.y)));
    expect(new Set(answers.map((a) => a.res.headers.get('etag'))).size).toBe(1);
    expect(ctx.app.server.tiles.cache.stats.misses - misses).toBe(2);
    expect(ctx.app.server.tiles.composites.stats.assembled - assembled).toBe(1);
  });

  it('versioned tiles are immutable; unversioned and outdated ones keep the short answer', async () => {
    const url = (await tileJson('grids,pipes')).tiles[0].replace('{z}/{x}/{y}', `15/${here.x}/${here.y}`);
    const versioned = await fetch(url);
    expect(versioned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await tile('grids,pipes', 15, here.x, here.y)).res.headers.get('cache-control')).toBe('no-cache');
    expect((await tile('grids', 15, here.x, here.y)).res.headers.get('cache-control')).toBe('public, max-age=60');
    const outdated = await fetch(url.replace(/v=[0-9a-f]{16}/, 'v=0123456789abcdef'));
    expect(outdated.headers.get('cache-control')).toBe('no-cache');
    // A map loaded before an upgrade asks with the older form of version: answered, never as current.
    const older = await fetch(url.replace(/v=[0-9a-f]{16}/, 'v=mgx1a2b3c4d5-17'));
    expect(older.status).toBe(200);
    expect(older.headers.get('cache-control')).toBe('no-cache');
  });

  it('a write to a layer changes its version and a composite\'s, not another layer\'s, and drops only its part', async () => {
    const z = 16;
    const { rows } = await ctx.db.query(`SELECT id, ST_X(ST_Centroid(geom)) x, ST_Y(ST_Centroid(geom)) y FROM pipes
      WHERE ST_Intersects(geom, ST_MakeEnvelope(114.29, 30.54, 114.33, 30.56, 4326)) ORDER BY id LIMIT 1`);
    const t = tilesCovering([rows[0].x, rows[0].y, rows[0].x, rows[0].y], z)[0];
    const pipe = async () => decodeTile((await tile('grids,pipes', z, t.x, t.y)).bytes).pipes.features.find((f) => f.id === Number(rows[0].id));
    const grids = await version('grids');
    const pipes = await version('pipes');
    const both = await version('grids,pipes');
    const before = await pipe();
    expect(before).toBeDefined();
    expect(ctx.app.server.tiles.cache.has('grids', z, t.x, t.y)).toBe(true);
    expect(ctx.app.server.tiles.cache.has('pipes', z, t.x, t.y)).toBe(true);

    await ctx.db.query('UPDATE pipes SET diameter_mm = diameter_mm + 1 WHERE id = $1', [rows[0].id]);
    await expect.poll(() => version('pipes'), { timeout: 2000 }).not.toBe(pipes);
    expect(await version('grids,pipes')).not.toBe(both);
    expect(await version('grids')).toBe(grids);
    // The pipes part is gone, the grids part stays; the composite shows the write.
    expect(ctx.app.server.tiles.cache.has('pipes', z, t.x, t.y)).toBe(false);
    expect(ctx.app.server.tiles.cache.has('grids', z, t.x, t.y)).toBe(true);
    const { misses } = ctx.app.server.tiles.cache.stats;
    expect((await pipe())!.properties.diameter_mm).toBe(Number(before!.properties.diameter_mm) + 1);
    expect(ctx.app.server.tiles.cache.stats.misses - misses).toBe(1);
  });

  it('a layer that needs an account is refused to anonymous requests, alone or in a composite, by name', async () => {
    const hazards = ctx.app.server.tiles.layer('hazards');
    hazards.needsAccount = true;
    try {
      for (const path of [`/tiles/grids,hazards/15/${here.x}/${here.y}.mvt`, `/tiles/hazards/15/${here.x}/${here.y}.mvt`, '/tiles/grids,hazards.json']) {
        const res = await fetch(ctx.app.baseUrl + path);
        expect(res.status, path).toBe(401);
        expect((await res.json()).message).toMatch(/tile layer hazards needs an account/);
      }
      const { headers } = await sessionAs(ctx, 'planner');
      const res = await fetch(`${ctx.app.baseUrl}/tiles/grids,hazards/15/${here.x}/${here.y}.mvt`, { headers });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
    } finally {
      hazards.needsAccount = undefined;
    }
  });
});
