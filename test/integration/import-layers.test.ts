// Every layer imported from files a district really has, made here: a GBK zipped Shapefile of unit grids in
// CGCS2000 / 3° Gauss-Krüger CM 114°E (a re-gridding: cases, cameras and pipes get their grid again), a GBK
// CSV of cameras copied from Amap (GCJ-02; coverage measured again), an Excel ledger of sensor stations with
// a title row and a two-row header, a CSV of facilities from Baidu (BD-09), hazards as GeoJSON, misconnections
// as KML, vehicles as CSV, streets as GeoJSON, communities as a GeoPackage, the district's outline. Re-imports
// update in place; a dry run, a bad row, a wrong CRS, swapped or garbled columns write nothing. The truths
// come from PostGIS/PROJ (ST_Transform) and gcoord.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGbk } from '../../server/importers/shapes/garbled.ts';
import { loginAs, useTestApp } from '../helpers/app.ts';
import { xlsxWorkbook } from '../helpers/xlsx.ts';
import { zipArchive } from '../helpers/zip.ts';

const ctx = useTestApp();
let planner: Record<string, string>;
let work: string;
beforeAll(async () => {
  planner = (await loginAs(ctx, 'planner')).headers;
  work = mkdtempSync(path.join(os.tmpdir(), 'onemap-test-layers-'));
});
afterAll(() => { if (work) rmSync(work, { recursive: true, force: true }); });

const rows = async (sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows;
const one = async (sql: string, values: unknown[] = []) => (await rows(sql, values))[0];
const gbk = (s: string) => Buffer.from(encodeGbk(s)!);
type LonLat = [number, number];

interface Answer { status: number; json: any }

async function upload(body: Buffer | string, query: string): Promise<Answer> {
  const res = await fetch(`${ctx.app.baseUrl}/api/imports?${query}`, {
    method: 'POST', headers: { ...planner, 'content-type': 'application/octet-stream' }, body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: res.status, json: await res.json() };
}

/** Counts that a refused or dry import must leave as they were. */
const counts = async () => one(`SELECT (SELECT count(*) FROM imports)::int AS imports, (SELECT count(*) FROM audit_log)::int AS audit,
  (SELECT count(*) FROM cameras)::int AS cameras, (SELECT count(*) FROM sensor_stations)::int AS stations, (SELECT count(*) FROM grids)::int AS grids`);

/** Metres between a stored point and a truth. */
const metres = async (table: string, where: string, truth: LonLat, values: unknown[] = []) =>
  (await one(`SELECT ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography) AS d FROM ${table} WHERE ${where}`, [...truth, ...values])).d as number;

describe('grids: a GBK zipped Shapefile in EPSG:4547 that re-grids one community', () => {
  let community: { code: string; name: string; street: string; cx: number };
  let job: Answer;
  let before: { cases: number[]; cameras: number[]; pipes: number[] };

  beforeAll(async () => {
    // The community with the most cameras: its grids become two, split at its centre's meridian.
    community = await one(`SELECT m.code::text AS code, m.name, s.name AS street, ST_X(ST_Centroid(m.geom)) AS cx FROM communities m JOIN streets s ON s.code = m.street_code
      ORDER BY (SELECT count(*) FROM cameras c WHERE c.grid_code LIKE m.code || '%') DESC, m.code LIMIT 1`);
    before = {
      cases: (await rows(`SELECT id FROM cases WHERE community_code = $1`, [community.code])).map((r) => Number(r.id)),
      cameras: (await rows(`SELECT id FROM cameras WHERE grid_code LIKE $1 || '%'`, [community.code])).map((r) => r.id),
      pipes: (await rows(`SELECT id FROM pipes WHERE grid_code LIKE $1 || '%'`, [community.code])).map((r) => r.id),
    };
    expect(before.cases.length).toBeGreaterThan(100);
    expect(before.cameras.length).toBeGreaterThan(5);
    // Every grid in metres of EPSG:4547 (PostGIS/PROJ), names of the community and street for each: the file has no community code.
    const features = await rows(`
      WITH c AS (SELECT ST_Union(geom) AS g FROM grids WHERE community_code = $1),
      halves AS (SELECT $1 || '901' AS code, ST_Multi(ST_CollectionExtract(ST_Intersection(g, ST_MakeEnvelope(-180, -90, $2, 90, 4326)), 3)) AS geom FROM c
                 UNION ALL SELECT $1 || '902', ST_Multi(ST_CollectionExtract(ST_Intersection(g, ST_MakeEnvelope($2, -90, 180, 90, 4326)), 3)) FROM c)
      SELECT g.code::text AS code, m.name AS community, s.name AS street, ST_AsGeoJSON(ST_Transform(g.geom, 4547), 6) AS gj
      FROM grids g JOIN communities m ON m.code = g.community_code JOIN streets s ON s.code = m.street_code WHERE g.community_code <> $1
      UNION ALL SELECT h.code, $3, $4, ST_AsGeoJSON(ST_Transform(h.geom, 4547), 6) FROM halves h ORDER BY 1`, [community.code, community.cx, community.name, community.street]);
    const dir = mkdtempSync(path.join(work, 'grids-'));
    writeFileSync(path.join(dir, 'in.geojson'), JSON.stringify({
      type: 'FeatureCollection',
      features: features.map((f) => ({ type: 'Feature', properties: { 网格编码: f.code, 网格名称: `${f.community}${f.code.slice(-3)}号网格`, 社区名称: f.community, 街道名称: f.street }, geometry: JSON.parse(f.gj) })),
    }));
    execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-a_srs', 'EPSG:4547', '-lco', 'ENCODING=GBK', path.join(dir, '网格.shp'), path.join(dir, 'in.geojson')]);
    const file = (ext: string) => readFileSync(path.join(dir, `网格.${ext}`));
    expect(file('cpg').toString()).toBe('GBK');
    const zip = zipArchive(Object.fromEntries(['shp', 'shx', 'dbf', 'prj', 'cpg'].map((ext) => [`网格.${ext}`, file(ext)])));
    job = await upload(zip, 'layer=grids&filename=%E7%BD%91%E6%A0%BC.zip&replace=true');
  });

  it('is written: two new grids, the community\'s old ones removed, the others unchanged; positions within 0.1 m', async () => {
    expect(job.status, JSON.stringify(job.json).slice(0, 2000)).toBe(201);
    const r = job.json;
    expect(r).toMatchObject({ layer: 'grids', format: 'shapefile', committed: true, encoding: { encoding: 'gb18030', from: 'cpg' } });
    expect(r.crs).toMatch(/from the file/);
    expect(r.crs_source).toEqual({ kind: 'file', epsg: null, gauss_kruger: null, from: 'file' });
    expect(r.mapping).toMatchObject({ code: '网格编码', name: '网格名称', community: '社区名称', street: '街道名称' });
    expect(r.counts.insert).toBe(2);
    expect(r.counts.rejected).toBe(0);
    expect(r.counts.removed).toBeGreaterThan(1);
    // The seed's grids, named by the file, become the district's own (no longer synthetic): updated, not moved.
    expect(r.counts.update + r.counts.unchanged).toBe(r.counts.read - 2);
    expect((await one(`SELECT count(*) FILTER (WHERE synthetic)::int AS n FROM grids`)).n).toBe(0);
    const [n] = await rows(`SELECT count(*)::int AS n FROM grids WHERE community_code = $1`, [community.code]);
    expect(n.n).toBe(2);
    // Against the halves computed from the same community in PostGIS: within 0.1 m in metres of EPSG:4547.
    const far = await one(`
      WITH c AS (SELECT ST_Union(geom) AS g FROM grids WHERE code::text IN ($1 || '901', $1 || '902')),
      t AS (SELECT ST_Multi(ST_CollectionExtract(ST_Intersection(g, ST_MakeEnvelope(-180, -90, $2, 90, 4326)), 3)) AS w FROM c)
      SELECT ST_HausdorffDistance(ST_Transform(g.geom, 4547), ST_Transform(t.w, 4547)) AS d FROM grids g, t WHERE g.code::text = $1 || '901'`, [community.code, community.cx]);
    expect(far.d).toBeLessThan(0.1);
  });

  it('names intact: the grids\' community was found by its Chinese name and its street\'s', async () => {
    const g = await one(`SELECT g.community_code::text AS c, ST_Area(g.geom::geography) / g.area_m2 AS ratio FROM grids g WHERE g.code::text = $1 || '902'`, [community.code]);
    expect(g.c).toBe(community.code);
    expect(g.ratio).toBeCloseTo(1, 6);
    expect(job.json.warnings.join(' ')).not.toMatch(/garbled/);
  });

  it('cases, cameras and pipes of the community have their grid derived again from their position', async () => {
    const d = job.json.derived.grid_code;
    expect(d.cases).toBeGreaterThan(100);
    expect(d.cameras).toBeGreaterThan(5);
    const GRID_AT = `(SELECT g.code FROM grids g WHERE ST_Intersects(g.geom, x.p) ORDER BY g.code LIMIT 1)`;
    const cases = await one(`SELECT count(*)::int AS n, count(*) FILTER (WHERE x.grid_code IS DISTINCT FROM ${GRID_AT})::int AS wrong,
        count(*) FILTER (WHERE right(x.grid_code, 3) IN ('901', '902'))::int AS new,
        count(*) FILTER (WHERE right(x.grid_code, 3) = '901' AND ST_X(x.p) > $2)::int AS misplaced
      FROM (SELECT grid_code, geom AS p FROM cases WHERE id = ANY($1::bigint[])) x`, [before.cases, community.cx]);
    expect(cases.wrong).toBe(0);
    expect(cases.new).toBeGreaterThan(cases.n * 0.95);
    expect(cases.misplaced).toBe(0);
    const comm = await one(`SELECT count(*) FILTER (WHERE community_code IS DISTINCT FROM left(grid_code, 12))::int AS bad FROM cases WHERE id = ANY($1::bigint[])`, [before.cases]);
    expect(comm.bad).toBe(0);
    const cams = await one(`SELECT count(*) FILTER (WHERE x.grid_code IS DISTINCT FROM ${GRID_AT})::int AS wrong, count(*) FILTER (WHERE right(x.grid_code, 3) IN ('901', '902'))::int AS new
      FROM (SELECT grid_code, geom AS p FROM cameras WHERE id = ANY($1::int[])) x`, [before.cameras]);
    expect(cams.wrong).toBe(0);
    expect(cams.new).toBeGreaterThan(0);
    const pipes = await one(`SELECT count(*) FILTER (WHERE x.grid_code IS DISTINCT FROM ${GRID_AT})::int AS wrong
      FROM (SELECT grid_code, ST_LineInterpolatePoint(geom, 0.5) AS p FROM pipes WHERE id = ANY($1::int[])) x`, [before.pipes]);
    expect(pipes.wrong).toBe(0);
    // Nothing else moved: no case outside the community has a grid of it.
    const stray = await one(`SELECT count(*)::int AS n FROM cases WHERE left(grid_code, 12) = $1 AND NOT (id = ANY($2::bigint[]))`, [community.code, before.cases]);
    expect(stray.n).toBeLessThan(5);
  });
});

describe('cameras: a GBK CSV copied from Amap (GCJ-02)', () => {
  let truth: { code: string; name: string; wgs: LonLat; grid: string }[];
  const csv = (cams: typeof truth, azimuth = (_i: number) => 45) => gbk(`武昌区视频监控点位台账（高德坐标）\r\n设备编码,设备名称,经度(高德),纬度(高德),摄像机类型,方位角,在线状态\r\n${cams.map((c, i) => {
    const gcj = gcoord.transform(c.wgs, gcoord.WGS84, gcoord.GCJ02) as LonLat;
    return `${c.code},${c.name},${gcj[0].toFixed(7)},${gcj[1].toFixed(7)},枪机,${azimuth(i)},在线`;
  }).join('\r\n')}\r\n`);

  beforeAll(async () => {
    // Twelve grids the fewest cameras see: a new camera in each, at a point inside it.
    const grids = await rows(`SELECT g.code::text AS code, ST_X(p) AS x, ST_Y(p) AS y FROM grids g CROSS JOIN LATERAL ST_PointOnSurface(g.geom) p
      ORDER BY (SELECT count(*) FROM cameras c WHERE c.status = 'online' AND c.fov && g.geom AND ST_Intersects(c.fov, g.geom)), g.code LIMIT 12`);
    expect(grids.length).toBe(12);
    truth = grids.map((g, i) => ({ code: `4201060000132100${String(9001 + i)}`, name: `测试路口${i + 1}号 枪机`, wgs: [g.x, g.y], grid: g.code }));
  });

  it('imported: names intact, positions within 1 m of the truth, grids derived, coverage measured again', async () => {
    const cover = async (grid: string) => (await (await fetch(`${ctx.app.baseUrl}/api/cameras/coverage?level=grid&within=${grid.slice(0, 12)}`)).json())
      .units.find((u: { code: string }) => u.code === grid)?.share ?? 0;
    const was = await cover(truth[0].grid);
    expect(was).toBeLessThan(0.5);
    const r = await upload(csv(truth), 'layer=cameras&filename=cams.csv');
    expect(r.status, JSON.stringify(r.json).slice(0, 2000)).toBe(201);
    expect(r.json).toMatchObject({ encoding: { encoding: 'gb18030', from: 'bytes' }, header: { row: 2, rows: 1, skipped: ['武昌区视频监控点位台账（高德坐标）'] } });
    expect(r.json.crs).toMatch(/^GCJ-02.*\(from the column names\)$/);
    expect(r.json.crs_source).toEqual({ kind: 'gcj02', epsg: null, gauss_kruger: null, from: 'columns' });
    expect(r.json.fields[0]).toEqual({ field: 'code', label: '设备编码 GB/T 28181 code', required: true });
    expect(r.json.counts).toMatchObject({ read: 12, insert: 12, rejected: 0 });
    for (const t of truth) {
      const row = await one(`SELECT name, kind, azimuth_deg, status, grid_code::text AS grid, synthetic FROM cameras WHERE code = $1`, [t.code]);
      expect(row).toEqual({ name: t.name, kind: 'gun', azimuth_deg: 45, status: 'online', grid: t.grid, synthetic: false });
      expect(await metres('cameras', 'code = $3', t.wgs, [t.code])).toBeLessThan(1);
    }
    const c = r.json.derived.coverage;
    expect(c.grids).toBeGreaterThanOrEqual(12);
    expect(c.after.covered_m2).toBeGreaterThan(c.before.covered_m2);
    // The app's own coverage follows through the change feed.
    let share = was;
    for (let i = 0; i < 60 && share === was; i++) { share = await cover(truth[0].grid); if (share === was) await new Promise((res) => setTimeout(res, 50)); }
    expect(share).toBeGreaterThan(was);
  });

  it('the same file again: every row unchanged, no duplicates; a changed row updates in place', async () => {
    const n = (await counts()).cameras;
    const again = await upload(csv(truth), 'layer=cameras&filename=cams.csv');
    expect(again.status).toBe(201);
    expect(again.json.counts).toMatchObject({ read: 12, insert: 0, update: 0, unchanged: 12 });
    expect((await counts()).cameras).toBe(n);
    const changed = await upload(csv(truth, (i) => (i === 3 ? 200 : 45)), 'layer=cameras&filename=cams.csv');
    expect(changed.json.counts).toMatchObject({ insert: 0, update: 1, unchanged: 11 });
    expect(changed.json.rows.find((o: { outcome: string }) => o.outcome === 'update')).toMatchObject({ row: 6, key: truth[3].code });
    expect((await one(`SELECT azimuth_deg FROM cameras WHERE code = $1`, [truth[3].code])).azimuth_deg).toBe(200);
    expect((await counts()).cameras).toBe(n);
    const [audit] = await rows(`SELECT action, after FROM audit_log WHERE entity = 'import' AND entity_id = $1`, [String(changed.json.import_id)]);
    expect(audit).toMatchObject({ action: 'import.create', after: { layer: 'cameras', counts: { update: 1 } } });
  });

  it('a dry run reports what it would do and writes nothing', async () => {
    const before = await counts();
    const extra = [...truth, { code: '42010600001321009999', name: '新增点位', wgs: truth[0].wgs, grid: truth[0].grid }];
    const dry = await upload(csv(extra, (i) => (i === 3 ? 200 : 45)), 'layer=cameras&filename=cams.csv&dry_run=true');
    expect(dry.status).toBe(200);
    expect(dry.json).toMatchObject({ dry_run: true, committed: false, import_id: null, counts: { insert: 1, unchanged: 12 } });
    expect(dry.json.rows.at(-1)).toMatchObject({ row: 15, key: '42010600001321009999', outcome: 'insert' });
    expect(await counts()).toEqual(before);
  });

  it('a file with one bad row is refused whole, with the row and the reason', async () => {
    const before = await counts();
    const bad = [...truth.slice(0, 5), { ...truth[5], code: '42010600001181009006' }, ...truth.slice(6)];
    const r = await upload(csv(bad), 'layer=cameras&filename=cams.csv');
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/^1 of 12 rows cannot be imported, so nothing was written: row 8: device code 42010600001181009006 is of type 118 \(.*\), not a camera/);
    expect(r.json.report.rejected).toEqual([expect.objectContaining({ row: 8, outcome: 'rejected' })]);
    const range = await upload(csv(truth, (i) => (i === 0 ? 400 : 45)), 'layer=cameras&filename=cams.csv');
    expect(range.json.message).toMatch(/row 3: value out of range: 方位角/);
    expect(await counts()).toEqual(before);
  });

  it('garbled names, swapped longitude/latitude and missing columns are refused with what to do', async () => {
    const before = await counts();
    const garbled = await upload(csv(truth), 'layer=cameras&filename=cams.csv&encoding=utf-8');
    expect(garbled.status).toBe(400);
    expect(garbled.json.message).toMatch(/look garbled.*try encoding=gbk/);
    const swapped = Buffer.from(`设备编码,设备名称,经度,纬度\n${truth.map((t) => `${t.code},${t.name},${t.wgs[1]},${t.wgs[0]}`).join('\n')}\n`);
    const s = await upload(swapped, 'layer=cameras&filename=cams.csv');
    expect(s.status).toBe(400);
    expect(s.json.message).toMatch(/longitude and latitude look swapped/);
    const missing = await upload(Buffer.from('编号,位置\nA,x\n'), 'layer=cameras&filename=cams.csv');
    expect(missing.status).toBe(400);
    expect(missing.json.message).toMatch(/the file lacks 设备编码 GB\/T 28181 code \(code\); 名称 name \(name\); .*The file's columns: "编号", "位置"/);
    expect(missing.json.report.headers).toEqual(['编号', '位置']);
    expect(missing.json.report.template).toHaveProperty('code', null);
    expect(await counts()).toEqual(before);
  });
});

describe('sensors: an Excel ledger with a title row and a two-row header', () => {
  it('stations with a datastream per row, thresholds from the merged 阈值 columns; X/Y in the wrong zone refused with the distance', async () => {
    const p = await one(`SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids ORDER BY code LIMIT 1 OFFSET 40) s`);
    const sheet = [
      ['武昌区物联感知站点台账', null, null, null, null, null, null, null, null],
      ['站点编码', '站点名称', '监测类型', '位置', null, '监测项', '单位', '阈值', null],
      [null, null, null, '经度', '纬度', null, null, '预警值', '报警值'],
      ['ST-T-001', '测试积水点一', '积水', p.x, p.y, '积水深度', 'cm', 15, 27],
      ['ST-T-001', '测试积水点一', '积水', p.x, p.y, '电池电压', 'V', null, null],
      ['ST-T-002', '测试雨量站', '雨量', p.x + 0.002, p.y, '雨量', 'mm', null, 50],
    ];
    const xlsx = xlsxWorkbook(sheet, { merges: ['A1:I1', 'A2:A3', 'B2:B3', 'C2:C3', 'D2:E2', 'F2:F3', 'G2:G3', 'H2:I2'], sheet: '站点' });
    const r = await upload(xlsx, 'layer=sensors&filename=stations.xlsx');
    expect(r.status, JSON.stringify(r.json).slice(0, 2000)).toBe(201);
    expect(r.json).toMatchObject({ sheet: '站点', header: { row: 2, rows: 2 }, counts: { read: 3, insert: 3 } });
    expect(r.json.mapping).toMatchObject({ lon: '位置 / 经度', lat: '位置 / 纬度', warn_level: '阈值 / 预警值', alarm_level: '阈值 / 报警值', quantity: '监测项' });
    const ds = await rows(`SELECT s.code, s.kind, d.quantity, d.unit, d.warn_level, d.alarm_level FROM sensor_stations s JOIN datastreams d ON d.station_id = s.id
      WHERE s.code LIKE 'ST-T-%' ORDER BY s.code, d.quantity`);
    expect(ds).toEqual([
      { code: 'ST-T-001', kind: 'ponding', quantity: '电池电压', unit: 'V', warn_level: null, alarm_level: null },
      { code: 'ST-T-001', kind: 'ponding', quantity: '积水深度', unit: 'cm', warn_level: 15, alarm_level: 27 },
      { code: 'ST-T-002', kind: 'rain', quantity: '雨量', unit: 'mm', warn_level: null, alarm_level: 50 },
    ]);
    const again = await upload(xlsx, 'layer=sensors&filename=stations.xlsx');
    expect(again.json.counts).toMatchObject({ insert: 0, update: 0, unchanged: 3 });

    // The same stations as X/Y in EPSG:4547, given as the 6° zone EPSG:4509: hundreds of kilometres off.
    const xy = (await rows(`SELECT ST_X(q) AS x, ST_Y(q) AS y FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), 4547) AS q) s`, [p.x, p.y]))[0];
    const before = await counts();
    const wrong = await upload(Buffer.from(`站点编码,站点名称,监测类型,X坐标,Y坐标\nST-T-003,测试,雨量,${xy.x},${xy.y}\n`), 'layer=sensors&filename=s.csv&crs=EPSG:4509');
    expect(wrong.status).toBe(400);
    expect(wrong.json.message).toMatch(/^the data \(read as EPSG:4509\) lands \d+ km from the district: is the CRS right\?/);
    const none = await upload(Buffer.from(`站点编码,站点名称,监测类型,X坐标,Y坐标\nST-T-003,测试,雨量,${xy.x},${xy.y}\n`), 'layer=sensors&filename=s.csv');
    expect(none.json.message).toMatch(/are in metres, and no coordinate system is given: .*give crs=EPSG:4547/);
    expect(await counts()).toEqual(before);
  });
});

describe('the other layers, one file each', () => {
  it('facilities: a CSV copied from Baidu (crs=bd09), within 1 m of the truth', async () => {
    const p = await one(`SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids ORDER BY code LIMIT 1 OFFSET 80) s`);
    const wgs: LonLat = [p.x, p.y];
    const bd = gcoord.transform(wgs, gcoord.WGS84, gcoord.BD09) as LonLat;
    const r = await upload(Buffer.from(`设施编码,设施名称,设施类型,经度,纬度,规模\nFAC-T-1,测试泵站,雨水泵站,${bd[0].toFixed(7)},${bd[1].toFixed(7)},5 m³/s\n`), 'layer=facilities&filename=f.csv&crs=bd09');
    expect(r.status, JSON.stringify(r.json).slice(0, 1500)).toBe(201);
    expect(r.json.crs).toMatch(/BD-09/);
    expect(await one(`SELECT name, kind, capacity FROM facilities WHERE code = 'FAC-T-1'`)).toEqual({ name: '测试泵站', kind: 'pumping_station', capacity: '5 m³/s' });
    expect(await metres('facilities', `code = 'FAC-T-1'`, wgs)).toBeLessThan(1);
  });

  it('facilities: the plainest .xlsx — the header in the first row, numbers below — keeps its header row', async () => {
    const p = await one(`SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids ORDER BY code LIMIT 1 OFFSET 81) s`);
    const xlsx = xlsxWorkbook([['设施编码', '设施名称', '设施类型', '经度', '纬度'], ['FAC-T-2', '测试闸门', '闸门', p.x, p.y], ['FAC-T-3', '测试排口', '排口', p.x + 0.001, p.y]]);
    const r = await upload(xlsx, 'layer=facilities&filename=f.xlsx');
    expect(r.status, JSON.stringify(r.json).slice(0, 1500)).toBe(201);
    expect(r.json).toMatchObject({ header: { row: 1, rows: 1 }, counts: { read: 2, insert: 2 }, mapping: { code: '设施编码', lon: '经度', lat: '纬度' } });
    expect(await rows(`SELECT code, kind FROM facilities WHERE code IN ('FAC-T-2', 'FAC-T-3') ORDER BY code`)).toEqual([
      { code: 'FAC-T-2', kind: 'flood_gate' }, { code: 'FAC-T-3', kind: 'outfall' },
    ]);
  });

  it('hazards: GeoJSON, on reaches by code (no geometry) or by position; unknown codes and grades refused', async () => {
    const pipes = await rows(`SELECT code, ST_X(ST_LineInterpolatePoint(geom, 0.3)) AS x, ST_Y(ST_LineInterpolatePoint(geom, 0.3)) AS y FROM pipes WHERE import_id IS NULL ORDER BY id LIMIT 2`);
    const fc = (features: object[]) => JSON.stringify({ type: 'FeatureCollection', features });
    const good = fc([
      { type: 'Feature', properties: { 管段编号: pipes[0].code, 缺陷名称: '破裂', 缺陷等级: 'Ⅲ级', 发现日期: '2024/5/6', 处置状态: '未处置' }, geometry: null },
      { type: 'Feature', properties: { 缺陷代码: 'SG', 缺陷等级: '2', 发现日期: '2024-05-07' }, geometry: { type: 'Point', coordinates: [pipes[1].x, pipes[1].y] } },
    ]);
    const r = await upload(good, 'layer=hazards&filename=h.geojson');
    expect(r.status, JSON.stringify(r.json).slice(0, 1500)).toBe(201);
    expect(r.json.counts).toMatchObject({ insert: 2 });
    const hz = await rows(`SELECT p.code AS pipe, h.code, h.grade, h.status, to_char(h.found_at, 'YYYY-MM-DD') AS found, h.grid_code IS NOT NULL AS gridded
      FROM hazards h JOIN pipes p ON p.id = h.pipe_id WHERE h.ledger_code IS NOT NULL ORDER BY h.found_at`);
    expect(hz).toEqual([
      { pipe: pipes[0].code, code: 'PL', grade: 3, status: 'confirmed', found: '2024-05-06', gridded: true },
      { pipe: pipes[1].code, code: 'SG', grade: 2, status: 'confirmed', found: '2024-05-07', gridded: true },
    ]);
    expect((await upload(good, 'layer=hazards&filename=h.geojson')).json.counts).toMatchObject({ insert: 0, unchanged: 2 });
    const bad = await upload(fc([
      { type: 'Feature', properties: { 管段编号: 'NO-SUCH-PIPE', 缺陷代码: 'PL', 缺陷等级: '2' }, geometry: null },
      { type: 'Feature', properties: { 管段编号: pipes[0].code, 缺陷代码: 'FS', 缺陷等级: '4' }, geometry: null },
      { type: 'Feature', properties: { 管段编号: pipes[0].code, 缺陷代码: 'XX', 缺陷等级: '2' }, geometry: null },
    ]), 'layer=hazards&filename=h.geojson');
    expect(bad.status).toBe(400);
    expect(bad.json.report.rejected.map((x: { row: number; reason: string }) => `${x.row}: ${x.reason}`)).toEqual([
      '1: unknown code: pipe NO-SUCH-PIPE is not in the database',
      expect.stringMatching(/^2: value out of range: FS 腐蚀 has no grade 4/),
      expect.stringMatching(/^3: unknown defect: defect "XX" is not a CJJ 181-2012 defect code or name/),
    ]);
  });

  it('misconnections: KML placemarks, their code from the name by a mapping; a point outside the district refused', async () => {
    const p = await one(`SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids ORDER BY code LIMIT 1 OFFSET 120) s`);
    const kml = (points: [string, number, number][]) => `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>${points.map(([n, x, y]) =>
      `<Placemark><name>${n}</name><description>污水接入雨水管</description><Point><coordinates>${x},${y}</coordinates></Point></Placemark>`).join('')}</Document></kml>`;
    const mapping = encodeURIComponent(JSON.stringify({ code: 'Name' }));
    const r = await upload(kml([['HJ-T-001', p.x, p.y], ['HJ-T-002', p.x + 0.001, p.y]]), `layer=misconnections&filename=m.kml&mapping=${mapping}`);
    expect(r.status, JSON.stringify(r.json).slice(0, 1500)).toBe(201);
    expect(r.json.matches).toContainEqual({ field: 'code', header: 'Name', how: 'user' });
    expect(await rows(`SELECT ledger_code, kind, status, grid_code IS NOT NULL AS gridded FROM misconnections WHERE ledger_code LIKE 'HJ-T-%' ORDER BY 1`)).toEqual([
      { ledger_code: 'HJ-T-001', kind: 'other', status: 'found', gridded: true }, { ledger_code: 'HJ-T-002', kind: 'other', status: 'found', gridded: true },
    ]);
    const out = await upload(kml([['HJ-T-003', p.x, p.y], ['HJ-T-004', p.x + 0.05, p.y + 0.2]]), `layer=misconnections&filename=m.kml&mapping=${mapping}`);
    expect(out.status).toBe(400);
    expect(out.json.report.rejected[0]).toMatchObject({ row: 2, reason: expect.stringMatching(/^outside the district: \d+ m from its boundary$/) });
  });

  it('vehicles: a CSV of plates; spaces and the middle dot are not part of a plate; a new vehicle needs its kind', async () => {
    const r = await upload(gbk('车牌号,车辆类型,状态\n鄂A·T1234,洒水车,作业中\n鄂 AT1235 ,吸污车,空闲\n'), 'layer=vehicles&filename=v.csv');
    expect(r.status, JSON.stringify(r.json).slice(0, 1500)).toBe(201);
    expect(await rows(`SELECT plate, kind, status FROM vehicles WHERE plate LIKE '鄂AT123%' ORDER BY plate`)).toEqual([
      { plate: '鄂AT1234', kind: 'sanitation', status: 'on_duty' }, { plate: '鄂AT1235', kind: 'drainage', status: 'idle' },
    ]);
    const kindless = await upload(gbk('车牌号,状态\n鄂AT1234,空闲\n鄂AT1299,空闲\n'), 'layer=vehicles&filename=v.csv');
    expect(kindless.json.report.rejected).toEqual([expect.objectContaining({ row: 3, reason: expect.stringMatching(/^车辆类型 kind is empty: a new row needs it/) })]);
  });

  it('streets (GeoJSON), communities (GeoPackage) and the district\'s outline: renamed in place, the outline unchanged', async () => {
    const st = await one(`SELECT code::text AS code, name, ST_AsGeoJSON(geom) AS g FROM streets ORDER BY code LIMIT 1`);
    const streets = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { 街道编码: st.code, 街道名称: `${st.name}（新）` }, geometry: JSON.parse(st.g) }] });
    const s = await upload(streets, 'layer=streets&filename=streets.geojson');
    expect(s.status, JSON.stringify(s.json).slice(0, 1500)).toBe(201);
    expect(s.json.counts).toMatchObject({ update: 1 });
    expect((await one(`SELECT name FROM streets WHERE code = $1`, [st.code])).name).toBe(`${st.name}（新）`);

    const cm = await one(`SELECT m.code::text AS code, m.name, s.name AS street, ST_AsGeoJSON(m.geom) AS g FROM communities m JOIN streets s ON s.code = m.street_code ORDER BY m.code LIMIT 1`);
    const dir = mkdtempSync(path.join(work, 'gpkg-'));
    writeFileSync(path.join(dir, 'c.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { 社区编码: cm.code, 社区名称: `${cm.name}二`, 所属街道: cm.street }, geometry: JSON.parse(cm.g) }] }));
    execFileSync('ogr2ogr', ['-f', 'GPKG', path.join(dir, 'c.gpkg'), path.join(dir, 'c.geojson'), '-nln', '社区']);
    const c = await upload(readFileSync(path.join(dir, 'c.gpkg')), 'layer=communities&filename=c.gpkg');
    expect(c.status, JSON.stringify(c.json).slice(0, 1500)).toBe(201);
    expect(c.json.counts).toMatchObject({ update: 1 });
    expect((await one(`SELECT name FROM communities WHERE code = $1`, [cm.code])).name).toBe(`${cm.name}二`);

    const d = await one(`SELECT code::text AS code, name, ST_AsGeoJSON(geom) AS g FROM districts`);
    const outline = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { 行政区划代码: d.code, 名称: d.name }, geometry: JSON.parse(d.g) }] });
    const dr = await upload(outline, 'layer=district&filename=d.geojson&dry_run=true');
    expect(dr.status, JSON.stringify(dr.json).slice(0, 1500)).toBe(200);
    expect(dr.json.counts).toMatchObject({ read: 1, unchanged: 1 });
  });

  it('the imports list holds layer imports; removing one removes the rows it inserted', async () => {
    const list = await (await fetch(`${ctx.app.baseUrl}/api/imports`)).json();
    const item = list.items.find((i: { layer: string }) => i.layer === 'vehicles');
    expect(item).toMatchObject({ format: 'csv', report: { layer: 'vehicles', committed: true } });
    const del = await fetch(`${ctx.app.baseUrl}/api/imports/${item.id}`, { method: 'DELETE', headers: planner });
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({ deleted: true, removed: 2, kept: 0, not_restored: 0 });
    expect(await rows(`SELECT plate FROM vehicles WHERE plate LIKE '鄂AT123%'`)).toEqual([]);
  });
});

describe('the command line', () => {
  it('npx tsx scripts/import.ts FILE --layer vehicles --dry-run, then for real with a saved mapping', async () => {
    const dir = mkdtempSync(path.join(work, 'cli-'));
    const file = path.join(dir, 'fleet.csv');
    writeFileSync(file, '号码,用途\n鄂AT7001,巡查车\n');
    const run = (args: string[]) => promisify(execFile)('npx', ['tsx', 'scripts/import.ts', file, ...args], {
      cwd: path.resolve(import.meta.dirname, '../..'), env: { ...process.env, DATABASE_URL: ctx.app.db.url },
    }).then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);
    const refused = await run(['--layer', 'vehicles', '--dry-run', '--save-mapping', path.join(dir, 'map.json')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/failed, nothing was written: the file lacks 车牌号 plate \(plate\)/);
    const template = JSON.parse(readFileSync(path.join(dir, 'map.json'), 'utf8'));
    expect(template).toMatchObject({ plate: null });
    writeFileSync(path.join(dir, 'map.json'), JSON.stringify({ ...template, plate: '号码', kind: '用途' }));
    const dry = await run(['--layer', 'vehicles', '--dry-run', '--mapping', path.join(dir, 'map.json')]);
    expect(dry.stdout).toMatch(/vehicles: 1 rows read, 0 refused; would insert 1/);
    expect((await rows(`SELECT 1 FROM vehicles WHERE plate = '鄂AT7001'`)).length).toBe(0);
    const real = await run(['--mapping', path.join(dir, 'map.json'), '--layer', 'vehicles']);
    expect(real.code, real.stderr).toBe(0);
    expect(await one(`SELECT kind FROM vehicles WHERE plate = '鄂AT7001'`)).toEqual({ kind: 'inspection' });
  });
});
