// The basemap built from a district's own files, made here: an OpenStreetMap extract (OSM XML, which GDAL's
// OSM driver reads as it reads .pbf) with roads of each class, a footpath, a river and a lake, buildings with
// a height, with levels and with neither, a place and a road far away; a surveying office's GBK zipped
// Shapefiles in CGCS2000 / 3° Gauss-Krüger CM 114°E with Chinese columns (道路 with 道路等级, 房屋 with 层数).
// Each import replaces the basemap whole; a broken file or one far from the district writes nothing; the
// basemap tile carries the buildings with their heights from z15.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tilesCovering } from '../../server/tiles/tilemath.ts';
import { loginAs, useTestApp } from '../helpers/app.ts';
import { decodeTile } from '../helpers/mvt.ts';
import { zipArchive } from '../helpers/zip.ts';

const ctx = useTestApp();
let planner: Record<string, string>;
let work: string;
let c: [number, number];
beforeAll(async () => {
  planner = (await loginAs(ctx, 'planner')).headers;
  work = mkdtempSync(path.join(os.tmpdir(), 'onemap-test-basemap-'));
  const { rows: [d] } = await ctx.db.query(`SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointOnSurface(ST_Union(geom)) AS p FROM districts) s`);
  c = [d.x, d.y];
});
afterAll(() => { if (work) rmSync(work, { recursive: true, force: true }); });

const one = async (sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows[0];

async function upload(body: Buffer | string, query: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${ctx.app.baseUrl}/api/imports?${query}`, {
    method: 'POST', headers: { ...planner, 'content-type': 'application/octet-stream' }, body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: res.status, json: await res.json() };
}

const tables = async () => one(`SELECT (SELECT count(*) FROM roads)::int AS roads, (SELECT count(*) FROM water)::int AS water,
  (SELECT count(*) FROM buildings)::int AS buildings, (SELECT count(*) FROM labels)::int AS labels,
  (SELECT count(*) FROM imports)::int AS imports, (SELECT count(*) FROM audit_log)::int AS audit`);

/** An OSM XML document: nodes at offsets (metres east, north) from the district's centre, ways over them. */
function osm(ways: { tags: Record<string, string>; at: [number, number][]; closed?: boolean }[], nodes: { tags: Record<string, string>; at: [number, number] }[] = [], far = false): string {
  const [lon0, lat0] = far ? [116.4, 39.9] : c;
  const pos = ([e, n]: [number, number]) => [lon0 + e / (111_320 * Math.cos((lat0 * Math.PI) / 180)), lat0 + n / 110_574];
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const tags = (t: Record<string, string>) => Object.entries(t).map(([k, v]) => `<tag k="${esc(k)}" v="${esc(v)}"/>`).join('');
  let id = 1;
  const out: string[] = [];
  const wayXml: string[] = [];
  ways.forEach((w, i) => {
    const refs = w.at.map((p) => {
      const [x, y] = pos(p);
      out.push(`<node id="${id}" version="1" lat="${y.toFixed(7)}" lon="${x.toFixed(7)}"/>`);
      return id++;
    });
    if (w.closed) refs.push(refs[0]);
    wayXml.push(`<way id="${1000 + i}" version="1">${refs.map((r) => `<nd ref="${r}"/>`).join('')}${tags(w.tags)}</way>`);
  });
  for (const n of nodes) {
    const [x, y] = pos(n.at);
    out.push(`<node id="${id++}" version="1" lat="${y.toFixed(7)}" lon="${x.toFixed(7)}">${tags(n.tags)}</node>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="onemap-test">\n${out.join('\n')}\n${wayXml.join('\n')}\n</osm>\n`;
}

const square = (e: number, n: number, s = 20): [number, number][] => [[e, n], [e + s, n], [e + s, n + s], [e, n + s]];

const DISTRICT_OSM = () => osm([
  { tags: { highway: 'primary', name: '中山路' }, at: [[-400, 0], [400, 10]] },
  { tags: { highway: 'motorway', name: 'Ring Expressway', 'name:zh': '二环线' }, at: [[-400, 100], [400, 100]] },
  { tags: { highway: 'tertiary' }, at: [[-400, 200], [400, 200]] },
  { tags: { highway: 'residential', name: '紫阳巷' }, at: [[0, -300], [0, 300]] },
  { tags: { highway: 'footway' }, at: [[50, -300], [50, 300]] },
  { tags: { waterway: 'river', name: '巡司河' }, at: [[-500, -400], [500, -380]] },
  { tags: { natural: 'water', name: '紫阳湖' }, at: [[200, 300], [350, 300], [350, 420], [200, 420]], closed: true },
  { tags: { building: 'yes', height: '21 m', name: '武昌大厦' }, at: square(100, 40), closed: true },
  { tags: { building: 'apartments', 'building:levels': '6' }, at: square(140, 40), closed: true },
  { tags: { building: 'yes' }, at: square(180, 40), closed: true },
  { tags: { landuse: 'grass' }, at: square(-200, -200, 50), closed: true },
], [
  { tags: { place: 'suburb', name: 'Ziyang', 'name:zh': '紫阳街道' }, at: [10, 20] },
  { tags: { amenity: 'hospital', name: '武昌医院' }, at: [60, 60] },
  { tags: { highway: 'traffic_signals' }, at: [0, 0] },
]);

describe('an OSM extract', () => {
  let first: { status: number; json: any };
  beforeAll(async () => {
    writeFileSync(path.join(work, 'wuchang.osm'), DISTRICT_OSM());
    first = await upload(readFileSync(path.join(work, 'wuchang.osm')), 'layer=basemap&filename=wuchang.osm');
  });

  it('replaces roads, water, buildings and labels with its own, by class and kind', async () => {
    expect(first.status, JSON.stringify(first.json).slice(0, 2000)).toBe(201);
    const r = first.json;
    expect(r).toMatchObject({ layer: 'basemap', format: 'osm', committed: true });
    expect(r.derived.written).toEqual({ roads: 4, water: 2, buildings: 3, labels: 4 });
    expect(r.derived.removed.roads).toBeGreaterThan(10);
    const roads = (await ctx.db.query(`SELECT name, class, synthetic FROM roads ORDER BY class, name`)).rows;
    expect(roads).toEqual([
      { name: '中山路', class: 'primary', synthetic: false },
      { name: '紫阳巷', class: 'residential', synthetic: false },
      { name: null, class: 'secondary', synthetic: false },
      { name: '二环线', class: 'trunk', synthetic: false },
    ]);
    expect((await ctx.db.query(`SELECT name, kind FROM water ORDER BY name`)).rows).toEqual([{ name: '巡司河', kind: 'river' }, { name: '紫阳湖', kind: 'lake' }]);
    // The river, a line in OSM, is an area about 30 m wide.
    const river = await one(`SELECT ST_Area(geom::geography) / ST_Length(ST_LongestLine(geom, geom)::geography) AS w FROM water WHERE name = '巡司河'`);
    expect(river.w).toBeGreaterThan(20);
    expect(river.w).toBeLessThan(40);
    expect((await ctx.db.query(`SELECT name, height_m, levels FROM buildings ORDER BY levels NULLS FIRST, height_m NULLS FIRST`)).rows).toEqual([
      { name: null, height_m: null, levels: null },
      { name: '武昌大厦', height_m: 21, levels: null },
      { name: null, height_m: null, levels: 6 },
    ]);
    const labels = (await ctx.db.query(`SELECT name, kind FROM labels WHERE kind IN ('street', 'poi', 'water') ORDER BY name`)).rows;
    expect(labels).toEqual([{ name: '巡司河', kind: 'water' }, { name: '武昌医院', kind: 'poi' }, { name: '紫阳湖', kind: 'water' }, { name: '紫阳街道', kind: 'street' }]);
    // The seed's district and community labels stay: the file has no places of those kinds.
    expect((await one(`SELECT count(*)::int AS n FROM labels WHERE kind = 'district'`)).n).toBeGreaterThan(0);
    expect(r.derived.skipped['highway=footway (not drawn)']).toBe(1);
  });

  it('the basemap tile carries the buildings with their heights from z15, not below', async () => {
    const t15 = tilesCovering([c[0] + 0.0012, c[1] + 0.0004, c[0] + 0.0021, c[1] + 0.0006], 15);
    const heights: (number | undefined)[] = [];
    for (const t of t15) {
      const res = await fetch(`${ctx.app.baseUrl}/tiles/basemap/15/${t.x}/${t.y}.mvt`);
      expect(res.status).toBe(200);
      for (const f of decodeTile(new Uint8Array(await res.arrayBuffer())).buildings?.features ?? []) heights.push(f.properties.height as number | undefined);
    }
    expect(heights.sort()).toEqual([18, 21, undefined]);
    const [t14] = tilesCovering([c[0], c[1], c[0], c[1]], 14);
    const low = decodeTile(new Uint8Array(await (await fetch(`${ctx.app.baseUrl}/tiles/basemap/14/${t14.x}/${t14.y}.mvt`)).arrayBuffer()));
    expect(low.buildings).toBeUndefined();
  });

  it('a second import replaces the first', async () => {
    const second = osm([{ tags: { highway: 'secondary', name: '解放路' }, at: [[-100, 0], [100, 0]] }, { tags: { building: 'yes', 'building:levels': '3' }, at: square(0, 30), closed: true }]);
    const r = await upload(second, 'layer=basemap&filename=second.osm');
    expect(r.status, JSON.stringify(r.json).slice(0, 1000)).toBe(201);
    expect(r.json.derived.removed).toMatchObject({ roads: 4, water: 2, buildings: 3 });
    const t = await tables();
    expect([t.roads, t.water, t.buildings]).toEqual([1, 0, 1]);
    expect((await one(`SELECT count(*)::int AS n FROM labels WHERE kind IN ('poi', 'water')`)).n).toBe(0);
  });

  it('a broken file, one far from the district, a dry run: 4xx or 200, nothing written', async () => {
    const before = await tables();
    const broken = await upload('<?xml version="1.0"?>\n<osm version="0.6"><node id="1" lat="30.5" lon=', 'layer=basemap&filename=broken.osm');
    expect(broken.status).toBe(400);
    const notOsm = await upload('{"type":"FeatureCollection"}', 'layer=basemap&filename=x.osm');
    expect(notOsm.status).toBe(400);
    expect(notOsm.json.message).toMatch(/not an OpenStreetMap extract/);
    const far = await upload(osm([{ tags: { highway: 'primary', name: '长安街' }, at: [[0, 0], [500, 0]] }], [], true), 'layer=basemap&filename=beijing.osm');
    expect(far.status).toBe(400);
    expect(far.json.message).toMatch(/within 2 km of the district/);
    const dry = await upload(DISTRICT_OSM(), 'layer=basemap&filename=wuchang.osm&dry_run=true');
    expect(dry.status).toBe(200);
    expect(dry.json).toMatchObject({ committed: false, dry_run: true });
    expect(dry.json.derived.written.buildings).toBe(3);
    const mapped = await upload(DISTRICT_OSM(), 'layer=basemap&filename=wuchang.osm&mapping=%7B%7D');
    expect(mapped.status).toBe(400);
    expect(await tables()).toEqual(before);
  });
});

describe('a surveying office\'s GBK Shapefiles in CGCS2000 / Gauss-Krüger with Chinese columns', () => {
  it('roads by 道路等级, buildings with 层数 and 高度, names intact', async () => {
    const dir = mkdtempSync(path.join(work, 'survey-'));
    const g = (e: number, n: number) => [c[0] + e / 96_000, c[1] + n / 110_574];
    writeFileSync(path.join(dir, 'roads.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { 道路名称: '武珞路', 道路等级: '主干路' }, geometry: { type: 'LineString', coordinates: [g(-300, 0), g(300, 0)] } },
      { type: 'Feature', properties: { 道路名称: '彭刘杨路', 道路等级: '次干路' }, geometry: { type: 'LineString', coordinates: [g(0, -300), g(0, 300)] } },
      { type: 'Feature', properties: { 道路名称: '小巷', 道路等级: '胡同' }, geometry: { type: 'LineString', coordinates: [g(50, -300), g(50, 300)] } },
    ] }));
    const ring = (e: number, n: number) => [[g(e, n), g(e + 20, n), g(e + 20, n + 20), g(e, n + 20), g(e, n)]];
    writeFileSync(path.join(dir, 'houses.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { 建筑名称: '阅马场小区1栋', 层数: 11, 高度: null }, geometry: { type: 'Polygon', coordinates: ring(30, 30) } },
      { type: 'Feature', properties: { 建筑名称: '黄鹤楼', 层数: 5, 高度: 51.4 }, geometry: { type: 'Polygon', coordinates: ring(80, 30) } },
    ] }));
    const shp = (name: string, src: string) => execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-s_srs', 'EPSG:4490', '-t_srs', 'EPSG:4547', '-lco', 'ENCODING=GBK', path.join(dir, `${name}.shp`), path.join(dir, src)]);
    shp('道路', 'roads.geojson');
    shp('房屋', 'houses.geojson');
    const files: Record<string, Buffer> = {};
    for (const name of ['道路', '房屋']) for (const ext of ['shp', 'shx', 'dbf', 'prj', 'cpg']) files[`${name}.${ext}`] = readFileSync(path.join(dir, `${name}.${ext}`));
    const r = await upload(zipArchive(files), 'layer=basemap&filename=survey.zip');
    expect(r.status, JSON.stringify(r.json).slice(0, 2000)).toBe(201);
    expect(r.json.derived.sources).toEqual(expect.arrayContaining([{ layer: '道路', as: 'roads', features: 3 }, { layer: '房屋', as: 'buildings', features: 2 }]));
    expect(r.json.warnings.join(' ')).toMatch(/"胡同" \(1\)/);
    expect((await ctx.db.query(`SELECT name, class FROM roads ORDER BY name`)).rows).toEqual([
      { name: '小巷', class: 'residential' }, { name: '彭刘杨路', class: 'secondary' }, { name: '武珞路', class: 'primary' },
    ]);
    expect((await ctx.db.query(`SELECT name, height_m, levels FROM buildings ORDER BY name`)).rows).toEqual([
      { name: '阅马场小区1栋', height_m: null, levels: 11 }, { name: '黄鹤楼', height_m: 51.4, levels: 5 },
    ]);
    // Positions through the Gauss-Krüger zone and back: within 0.1 m.
    const d = await one(`SELECT ST_Distance(ST_StartPoint(geom)::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography) AS d FROM roads WHERE name = '武珞路'`, g(-300, 0));
    expect(d.d).toBeLessThan(0.1);
  });
});
