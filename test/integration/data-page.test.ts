// The data page: which layers have rows (public), each layer's counts, imports and last change (planners and
// admins), every layer as GeoPackage, GeoJSON, CSV and XLSX (each decoded here: JSON.parse, ogrinfo for GPKG
// and XLSX, CSV rows counted), and removing a layer import: the rows it inserted go, the rows it updated
// stay, refused whole while a later import wrote them.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_LAYERS } from '../../common/api/data.ts';
import { loginAs, useTestApp } from '../helpers/app.ts';

const run = promisify(execFile);
const ctx = useTestApp();
let planner: { headers: Record<string, string>; user: { username: string } };
let work: string;
beforeAll(async () => {
  planner = await loginAs(ctx, 'planner');
  work = mkdtempSync(path.join(os.tmpdir(), 'onemap-test-data-'));
});
afterAll(() => { if (work) rmSync(work, { recursive: true, force: true }); });

const one = async (sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows[0];
const get = (url: string, headers: Record<string, string> = planner.headers) => fetch(`${ctx.app.baseUrl}${url}`, { headers });

async function importVehicles(csv: string, name: string) {
  const res = await fetch(`${ctx.app.baseUrl}/api/imports?layer=vehicles&filename=${name}`, {
    method: 'POST', headers: { ...planner.headers, 'content-type': 'application/octet-stream' }, body: csv,
  });
  const json = await res.json();
  expect(res.status, JSON.stringify(json).slice(0, 800)).toBe(201);
  return json.import_id as number;
}
const remove = async (id: number) => {
  const res = await fetch(`${ctx.app.baseUrl}/api/imports/${id}`, { method: 'DELETE', headers: planner.headers });
  return { status: res.status, json: await res.json() };
};
const plates = async (like: string) => (await ctx.db.query(`SELECT plate, kind, status FROM vehicles WHERE plate LIKE $1 ORDER BY plate`, [like])).rows;

describe('layers', () => {
  it('GET /api/data/layers: every layer of the seeded district has rows, all synthetic but the real outline; health says so', async () => {
    const res = await get('/api/data/layers', {});
    expect(res.status).toBe(200);
    const { layers } = await res.json();
    expect(layers.map((l: { id: string }) => l.id)).toEqual([...DATA_LAYERS]);
    for (const l of layers) expect(l, l.id).toMatchObject({ loaded: true, synthetic: l.id !== 'district' });
    expect(layers.find((l: { id: string }) => l.id === 'manholes').import_layer).toBe('pipes');
    const health = await (await get('/api/health', {})).json();
    expect(health).toMatchObject({ synthetic: true });
    expect(health.synthetic_layers).toEqual(DATA_LAYERS.filter((l) => l !== 'district'));
  });

  it('the badge names only the layers still synthetic: vehicles all imported, cameras partly', async () => {
    await ctx.db.query('UPDATE vehicles SET synthetic = false');
    await ctx.db.query('UPDATE cameras SET synthetic = false WHERE id % 2 = 0');
    const health = await (await get('/api/health', {})).json();
    expect(health.synthetic_layers).not.toContain('vehicles');
    expect(health.synthetic_layers).toContain('cameras');
    await ctx.db.query('UPDATE vehicles SET synthetic = true');
    await ctx.db.query('UPDATE cameras SET synthetic = true');
  });

  it('details: counts as the tables have them, the last change; planners and admins only', async () => {
    expect((await get('/api/data/layers/details', {})).status).toBe(401);
    expect((await get('/api/data/layers/details', (await loginAs(ctx, 'dispatcher')).headers)).status).toBe(403);
    const res = await get('/api/data/layers/details');
    expect(res.status).toBe(200);
    const { layers } = await res.json();
    const grids = layers.find((l: { id: string }) => l.id === 'grids');
    const n = await one(`SELECT count(*)::int AS n FROM grids`);
    expect(grids).toMatchObject({ rows: n.n, synthetic_rows: n.n, imports: [], import_count: 0 });
    expect(Date.parse(grids.last_change)).toBeGreaterThan(0);
    const defects = layers.find((l: { id: string }) => l.id === 'defects');
    expect(defects.rows).toBe((await one(`SELECT count(*)::int AS n FROM defects`)).n);
  });

  it('an import shows as the layer\'s source (file, who, counts) and moves its last change', async () => {
    const before = Date.now();
    const id = await importVehicles('车牌号,车辆类型,状态\n鄂AD0001,巡查车,空闲\n', 'fleet-a.csv');
    const { layers } = await (await get('/api/data/layers/details')).json();
    const v = layers.find((l: { id: string }) => l.id === 'vehicles');
    expect(v.imports[0]).toMatchObject({ id, filename: 'fleet-a.csv', format: 'csv', by: planner.user.username, inserted: 1, updated: 0 });
    expect(v.synthetic_rows).toBe(v.rows - 1);
    expect(Date.parse(v.last_change)).toBeGreaterThanOrEqual(before - 1000);
    expect((await remove(id)).status).toBe(200);
  });
});

  it('a statement that changes no rows is not a change; one that changes a row is (tracked and untracked tables)', async () => {
    const changedAt = async (tbl: string) => (await one(`SELECT changed_at FROM table_changes WHERE tbl = $1`, [tbl])).changed_at as Date;
    for (const [tbl, key] of [['cameras', 'id'], ['defects', 'id']] as const) {
      const before = await changedAt(tbl);
      await ctx.db.query(`UPDATE ${tbl} SET ${key} = ${key} WHERE false`);
      await ctx.db.query(`DELETE FROM ${tbl} WHERE false`);
      expect(await changedAt(tbl), tbl).toEqual(before);
      await ctx.db.query(`UPDATE ${tbl} SET ${key} = ${key} WHERE ${key} = (SELECT min(${key}) FROM ${tbl})`);
      expect((await changedAt(tbl)).getTime(), tbl).toBeGreaterThan(before.getTime());
    }
  });

describe('downloads', () => {
  const download = async (layer: string, format: string) => {
    const res = await get(`/api/data/layers/${layer}/download?format=${format}`);
    expect(res.status, await res.clone().text().then((t) => t.slice(0, 300))).toBe(200);
    return { type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), body: Buffer.from(await res.arrayBuffer()) };
  };
  const count = async (table: string) => (await one(`SELECT count(*)::int AS n FROM ${table}`)).n as number;
  const ogrCount = async (file: string) => {
    const { stdout } = await run('ogrinfo', ['-so', '-al', file]);
    return { features: Number(/Feature Count: (\d+)/.exec(stdout)![1]), info: stdout };
  };

  it('planners and admins only; an unknown layer or format is a 400', async () => {
    expect((await get('/api/data/layers/grids/download?format=csv', {})).status).toBe(401);
    expect((await get('/api/data/layers/nothing/download?format=csv')).status).toBe(400);
    expect((await get('/api/data/layers/grids/download?format=shp')).status).toBe(400);
  });

  it('GeoJSON: a FeatureCollection of every grid, polygons in WGS84', async () => {
    const f = await download('grids', 'geojson');
    expect(f.type).toMatch(/geo\+json/);
    expect(f.disposition).toBe('attachment; filename="grids.geojson"');
    const fc = JSON.parse(f.body.toString('utf8'));
    expect(fc.features.length).toBe(await count('grids'));
    expect(fc.features[0].geometry.type).toBe('MultiPolygon');
    expect(Object.keys(fc.features[0].properties)).toEqual(['code', 'community_code', 'area_m2', 'synthetic']);
  });

  it('CSV: a header and a row per case (200,000, through the cursor), geometry as WKT', async () => {
    const f = await download('cases', 'csv');
    const text = f.body.toString('utf8');
    expect(text.startsWith('\uFEFFid,case_no,')).toBe(true);
    expect(text.match(/\uFEFF/g)!.length).toBe(1);
    // Records end with CRLF; a line break inside a quoted cell is a lone LF or CR.
    const records = text.split('\r\n').filter((l) => l !== '');
    expect(records.length).toBe(1 + await count('cases'));
    expect(records[0]).not.toMatch(/reporter|contact/);
    expect(records[1]).toMatch(/POINT\(/);
  }, 120_000);

  it('GeoPackage: opened by GDAL, one layer with every defect placed on its reach', async () => {
    const f = await download('defects', 'gpkg');
    const file = path.join(work, 'defects.gpkg');
    writeFileSync(file, f.body);
    const { features, info } = await ogrCount(file);
    expect(features).toBe(await count('defects'));
    expect(info).toMatch(/Geometry: Point/);
    expect(info).toMatch(/pipe_code: String/);
  });

  it('XLSX: opened by GDAL, a row per station with its position as lon/lat', async () => {
    const f = await download('sensors', 'xlsx');
    expect(f.body.subarray(0, 2).toString()).toBe('PK');
    const file = path.join(work, 'sensors.xlsx');
    writeFileSync(file, f.body);
    const { features, info } = await ogrCount(file);
    expect(features).toBe(await count('sensor_stations'));
    expect(info).toMatch(/lon: Real/);
    expect(info).toMatch(/quantities: String/);
  });

  it('every layer in every format answers a file', async () => {
    for (const layer of ['district', 'labels', 'inspections']) {
      for (const format of ['gpkg', 'geojson', 'csv', 'xlsx']) {
        const f = await download(layer, format);
        expect(f.body.length, `${layer}.${format}`).toBeGreaterThan(100);
      }
    }
  }, 60_000);
});

describe('removing a layer import', () => {
  it('removes the rows it inserted and keeps those it updated', async () => {
    const earlier = await importVehicles('车牌号,车辆类型,状态\n鄂AR0003,巡查车,空闲\n', 'fleet-p.csv');
    const id = await importVehicles('车牌号,车辆类型,状态\n鄂AR0001,巡查车,空闲\n鄂AR0002,吸污车,作业中\n鄂AR0003,应急车,离线\n', 'fleet-r.csv');
    expect(await plates('鄂AR%')).toHaveLength(3);
    const del = await remove(id);
    expect(del).toEqual({ status: 200, json: { deleted: true, removed: 2, kept: 1, not_restored: 0 } });
    expect(await plates('鄂AR%')).toEqual([{ plate: '鄂AR0003', kind: 'emergency', status: 'offline' }]);
    expect(await one(`SELECT count(*)::int AS n FROM imports WHERE id = $1`, [id])).toEqual({ n: 0 });
    expect(await one(`SELECT after FROM audit_log WHERE action = 'import.delete' AND entity_id = $1`, [String(id)])).toEqual({ after: { removed: 2, kept: 1, not_restored: 0 } });
    expect((await remove(id)).status).toBe(404);
    expect((await remove(earlier)).json).toMatchObject({ removed: 1 });
  });

  it('refused whole (409) while a later import wrote one of its rows; possible once that one is gone', async () => {
    const first = await importVehicles('车牌号,车辆类型\n鄂AL0001,巡查车\n鄂AL0002,巡查车\n', 'fleet-1.csv');
    const later = await importVehicles('车牌号,车辆类型\n鄂AL0002,应急车\n', 'fleet-2.csv');
    const refused = await remove(first);
    expect(refused.status).toBe(409);
    expect(refused.json.message).toMatch(new RegExp(`#${later} fleet-2.csv`));
    expect(await plates('鄂AL%')).toHaveLength(2);
    expect(await one(`SELECT count(*)::int AS n FROM imports WHERE id = $1`, [first])).toEqual({ n: 1 });
    expect((await remove(later)).json).toEqual({ deleted: true, removed: 0, kept: 1, not_restored: 0 });
    expect((await remove(first)).json).toMatchObject({ removed: 2 });
    expect(await plates('鄂AL%')).toEqual([]);
  });

  it('refused (409) while other rows use what it inserted: the streets of an imported district', async () => {
    const d = await one(`SELECT code::text AS code, ST_AsGeoJSON(geom) AS g FROM districts`);
    const outline = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { 行政区划代码: '420199', 名称: '测试区' }, geometry: JSON.parse(d.g) }] });
    const res = await fetch(`${ctx.app.baseUrl}/api/imports?layer=district&filename=d.geojson`, { method: 'POST', headers: { ...planner.headers, 'content-type': 'application/octet-stream' }, body: outline });
    const imp = await res.json();
    expect(res.status, JSON.stringify(imp).slice(0, 500)).toBe(201);
    await ctx.db.query(`INSERT INTO streets (code, name, district_code, geom) SELECT '420199001', '测试街', '420199', geom FROM districts WHERE code = '420199'`);
    const refused = await remove(imp.import_id);
    expect(refused.status).toBe(409);
    expect(refused.json.message).toMatch(/still used by other rows/);
    expect(await one(`SELECT count(*)::int AS n FROM districts WHERE code = '420199'`)).toEqual({ n: 1 });
    await ctx.db.query(`DELETE FROM streets WHERE code = '420199001'`);
    expect((await remove(imp.import_id)).json).toMatchObject({ removed: 1 });
  });
});
