// The pure parts of layer imports: formats told by name and first bytes, each row's checks (types, enums,
// required cells, geometry kinds, keys, duplicates), the layer modules' own row checks, positions judged and
// converted (swapped, metres without a CRS, degrees with a projected one, GCJ-02 from a column name, landing),
// the keys of ledgers without codes, and the refusal message.
import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { LAYER_MODULES } from '../../server/importers/layers/index.ts';
import { changedSql, sameGeometry } from '../../server/importers/layers/keyed-table.ts';
import { ledgerKey, placeOf } from '../../server/importers/layers/ledger-key.ts';
import type { RowContext, Tx } from '../../server/importers/layers/types.ts';
import { checkLayerMagic, layerFormatFromName } from '../../server/importers/pipeline/formats.ts';
import { firstPoint, mapCoordinates, positionsOf, type PositionInput } from '../../server/importers/pipeline/positions.ts';
import { withSeparatorOnFirstLine } from '../../server/importers/pipeline/read-layer.ts';
import { rowsRefusedMessage } from '../../server/importers/pipeline/report.ts';
import { checkRows } from '../../server/importers/pipeline/rows.ts';
import { matchColumns } from '../../server/importers/shapes/columns.ts';
import { distanceKm, type LonLat } from '../../server/importers/shapes/crs-check.ts';
import { toWgs84 } from '../../server/importers/shapes/crs.ts';
import { tmForward } from '../../server/importers/shapes/tmerc.ts';

const ctx: RowContext = { districts: ['420106'], mapped: new Set(), today: '2024-06-01' };
const CAM = '42010600001321000001';

describe('formats', () => {
  it('told by the file name, checked by the first bytes', () => {
    expect(['a.zip', 'a.GPKG', 'a.json', 'a.kml', 'a.csv', 'a.txt', 'a.xlsx', 'a.xls'].map(layerFormatFromName))
      .toEqual(['shapefile', 'gpkg', 'geojson', 'kml', 'csv', 'csv', 'xlsx', null]);
    expect(() => checkLayerMagic(Buffer.from('{"type":"FeatureCollection"}'), 'geojson')).not.toThrow();
    expect(() => checkLayerMagic(Buffer.from('<?xml version="1.0"?>\n<kml xmlns="x"></kml>'), 'kml')).not.toThrow();
    expect(() => checkLayerMagic(Buffer.from('编码,名称\n1,a\n'), 'csv')).not.toThrow();
    expect(() => checkLayerMagic(Buffer.from('PK\x03\x04rest', 'latin1'), 'csv')).toThrow(/not a text file/);
    expect(() => checkLayerMagic(Buffer.from('\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1', 'latin1'), 'xlsx')).toThrow(/old Excel workbook \(\.xls\); save it as \.xlsx/);
  });

  it('a KML with a document type declaration (entities that could name server files) is refused before GDAL sees it', () => {
    const xxe = '<?xml version="1.0"?>\n<!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<kml><Placemark><name>&x;</name></Placemark></kml>';
    expect(() => checkLayerMagic(Buffer.from(xxe), 'kml')).toThrow(/not a KML document/);
  });
});

/** Records as a ledger gives them, checked for the layer (columns matched by name). */
function check(layer: keyof typeof LAYER_MODULES, records: Record<string, unknown>[], geometries?: (GeoJSON.Geometry | null)[]) {
  const module = LAYER_MODULES[layer];
  const headers = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const mapping = matchColumns(headers, module.target, { hasGeometry: true });
  const geoms = geometries ?? records.map(() => ({ type: 'Point', coordinates: [114.3, 30.55] }) as GeoJSON.Geometry);
  return checkRows(module, records, records.map((_, i) => i + 2), geoms, mapping, ctx);
}

describe('rows', () => {
  it('cameras: types, enumerations, required cells, codes, ranges and duplicate keys, each refused with its row', () => {
    const r = check('cameras', [
      { 设备编码: CAM, 名称: '路口一', 类型: '球机', 方位角: '-90', 状态: '在线' },
      { 设备编码: '42010600001321000002', 名称: '', 类型: '枪机' },
      { 设备编码: '42010600001321000003', 名称: '路口三', 类型: '飞碟' },
      { 设备编码: '42010600001181000004', 名称: '录像机' },
      { 设备编码: '42010600001321000005', 名称: '路口五', 方位角: '北' },
      { 设备编码: '42010600001321000006', 名称: '路口六', 视场角: '0' },
      { 设备编码: CAM, 名称: '路口一（重复）' },
    ]);
    expect(r.staged).toEqual([{ row: 2, key: CAM, geom: JSON.stringify({ type: 'Point', coordinates: [114.3, 30.55] }), values: expect.objectContaining({ kind: 'dome', azimuth_deg: 270, status: 'online' }) }]);
    expect(r.rejected.map((x) => `${x.row} ${x.reason}`)).toEqual([
      '3 名称 name is empty',
      expect.stringMatching(/^4 unknown value: 类型 kind "飞碟" is not one of 枪机 \(gun\), 球机 \(dome\)/),
      expect.stringMatching(/^5 device code 42010600001181000004 is of type 118/),
      expect.stringMatching(/^6 方位角 azimuth \(°\): "北" is not a number/),
      '7 value out of range: 视场角 field of view (°) 0 is not above 0 and at most 360',
      `8 duplicate key ${CAM}: row 2 has it too`,
    ]);
  });

  it('geometries of the wrong kind, without a position, or polygons not closed are refused; a MultiPoint of one point is a point', () => {
    const rec = { 设备编码: CAM, 名称: 'a' };
    const cams = check('cameras', [rec, { ...rec, 设备编码: '42010600001321000002' }, { ...rec, 设备编码: '42010600001321000003' }],
      [{ type: 'MultiPoint', coordinates: [[114.3, 30.5]] }, { type: 'LineString', coordinates: [[114.3, 30.5], [114.31, 30.5]] }, null]);
    expect(cams.staged.map((s) => JSON.parse(s.geom!).type)).toEqual(['Point']);
    expect(cams.rejected.map((x) => x.reason)).toEqual(['bad geometry: a LineString where cameras are points', 'no position: the row has no geometry or coordinates']);
    const grids = check('grids', [{ 网格编码: '420106001001001' }, { 网格编码: '420106001001002' }], [
      { type: 'Polygon', coordinates: [[[114.3, 30.5], [114.31, 30.5], [114.31, 30.51], [114.3, 30.5]]] },
      { type: 'Polygon', coordinates: [[[114.3, 30.5], [114.31, 30.5], [114.31, 30.51]]] },
    ]);
    expect(grids.staged.map((s) => s.key)).toEqual(['420106001001001']);
    expect(grids.rejected[0].reason).toBe('bad geometry: a polygon ring that is not closed or has fewer than 4 points');
  });

  it('grid codes: 15 digits in the district; a number cell holding the whole code is the code', () => {
    const poly: GeoJSON.Geometry = { type: 'Polygon', coordinates: [[[114.3, 30.5], [114.31, 30.5], [114.31, 30.51], [114.3, 30.5]]] };
    const r = check('grids', [{ 网格编码: '42010600100100' }, { 网格编码: '420107001001001' }, { 网格编码: 4.20106001001001e14 }], [poly, poly, poly]);
    expect(r.rejected.map((x) => x.reason)).toEqual([
      expect.stringMatching(/has 14 digits; a unit grid code has 15/),
      'grid code 420107001001001 is not in county 420106 (it starts 420107)',
    ]);
    expect(r.staged.map((s) => s.key)).toEqual(['420106001001001']);
  });

  it('hazards read their grade as ledgers write it (raw), and check it against the defect', () => {
    const r = check('hazards', [
      { 管段编号: 'YS001', 缺陷名称: '破裂', 缺陷等级: 'Ⅲ级', 发现日期: '2024年5月6日' },
      { 管段编号: 'YS001', 缺陷代码: 'TL', 缺陷等级: '3' },
    ], [null, null]);
    expect(r.staged).toEqual([expect.objectContaining({ key: '~pipe YS001|PL|2024-05-06', values: expect.objectContaining({ code: 'PL', grade: 3, found_at: '2024-05-06' }) })]);
    expect(r.rejected[0].reason).toMatch(/^value out of range: TL 接口材料脱落 has no grade 3/);
  });

  it('vehicles: plates normalised; sensors: thresholds in order of their direction, a quantity with its unit', () => {
    expect(check('vehicles', [{ 车牌号: ' 鄂ａ·d1234５ ' }, { 车牌号: 'ABC' }], [null, null]))
      .toMatchObject({ staged: [{ key: '鄂AD12345' }], rejected: [{ reason: 'plate "ABC" is not a plate number (鄂A12345)' }] });
    const s = check('sensors', [
      { 站点编码: 'S1', 站点名称: 'a', 监测类型: '积水', 监测项: '积水深度', 单位: 'cm', 预警值: '30', 报警值: '20' },
      { 站点编码: 'S1', 站点名称: 'a', 监测类型: '积水', 监测项: '电压' },
      { 站点编码: 'S2', 站点名称: 'b', 监测类型: '雨量', 监测项: '雨量', 单位: 'mm', 预警值: '30', 报警值: '50' },
    ]);
    expect(s.rejected.map((x) => x.reason)).toEqual([
      'value out of range: the warning level 30 is past the alarm level 20 (direction above)',
      '单位 unit is empty: the quantity 电压 needs its unit',
    ]);
    expect(s.staged.map((x) => x.key)).toEqual(['S2|雨量']);
  });
});

describe('keys and SQL of keyed tables', () => {
  it('a ledger row without a code is keyed by where, what and when', () => {
    expect(ledgerKey('HJ-001', ['x'])).toBe('HJ-001');
    expect(ledgerKey(null, [placeOf(null, [114.123456, 30.5]), 'other', null])).toBe('~114.12346,30.50000|other|');
    expect(placeOf('YS1', [1, 2])).toBe('pipe YS1');
  });

  it('a staged value changes a row only where the file gives one; geometries within 1e-7° are the same', () => {
    const sql = changedSql({ table: 'cameras', key: 'code', geom: 's.geom', columns: [{ name: 'name', sql: 'text' }] });
    expect(sql).toBe(`(s.name IS NOT NULL AND s.name IS DISTINCT FROM t.name) OR (s.geom IS NOT NULL AND (t.geom IS NULL OR NOT ${sameGeometry('t.geom', 's.geom')})) OR t.synthetic`);
    expect(changedSql({ table: 'x', key: 'code', geom: 'ST_Multi(s.geom)', columns: [] }, 'f')).toContain('ST_Multi(f.geom)');
  });

  it('the refusal names the first rows and their reasons', () => {
    const rejected = Array.from({ length: 7 }, (_, i) => ({ row: i + 2, key: null, outcome: 'rejected' as const, reason: `r${i}` }));
    expect(rowsRefusedMessage(rejected, 100)).toBe('7 of 100 rows cannot be imported, so nothing was written: row 2: r0; row 3: r1; row 4: r2; row 5: r3; row 6: r4; and 2 more (see report.rejected)');
  });
});

describe('positions', () => {
  const WUCHANG = { bbox: [114.25, 30.47, 114.42, 30.64] as [number, number, number, number], centre: [114.32, 30.55] as LonLat, margin_km: 5, what: 'the district' };
  const noDb = { query: () => { throw new Error('no database for computed CRSs'); } } as unknown as Tx;
  const input = (records: Record<string, unknown>[], mapping: Record<string, string>, extra: Partial<PositionInput> = {}): PositionInput =>
    ({ records, geometries: null, rawCoordinates: false, mapping, given: null, area: WUCHANG, flag: 'crs=', ...extra });
  const truth: LonLat = [114.3, 30.55];

  it('GCJ-02 stated in a column name is corrected within a metre; the CRS is said', async () => {
    const gcj = gcoord.transform(truth, gcoord.WGS84, gcoord.GCJ02) as LonLat;
    const p = await positionsOf(noDb, input([{ '经度（GCJ02）': gcj[0], '纬度（GCJ02）': gcj[1] }], { lon: '经度（GCJ02）', lat: '纬度（GCJ02）' }));
    expect(distanceKm(firstPoint(p.geometries[0])!, truth) * 1000).toBeLessThan(1);
    expect(p.crs).toMatch(/^GCJ-02 .*\(from the column names\)$/);
  });

  it('swapped, metres without a CRS (with the zone to give), degrees with a projected CRS, and data landing far away are refused', async () => {
    const lonlat = { lon: 'lon', lat: 'lat' };
    await expect(positionsOf(noDb, input([{ lon: 30.55, lat: 114.3 }], lonlat))).rejects.toThrow(/longitude and latitude look swapped/);
    const [x, y] = tmForward(truth[0], truth[1], { lon0: 114, x0: 500_000, k0: 1 });
    const xy = { x: 'X', y: 'Y' };
    await expect(positionsOf(noDb, input([{ X: x, Y: y }], xy))).rejects.toThrow(/^the coordinates \(X, Y\) are in metres, and no coordinate system is given: .*give crs=EPSG:4547$/);
    await expect(positionsOf(noDb, input([{ lon: 114.3, lat: 30.55 }], lonlat, { given: { kind: 'epsg', epsg: 4547 } }))).rejects.toThrow(/are longitude\/latitude degrees, but EPSG:4547 .* is in metres/);
    await expect(positionsOf(noDb, input([{ X: x, Y: y }], xy, { given: { kind: 'epsg', epsg: 4509 } }))).rejects.toThrow(/^the data \(read as EPSG:4509\) lands \d+ km from the district: is the CRS right\? \(0 of 1 positions/);
    const ok = await positionsOf(noDb, input([{ X: x, Y: y }], xy, { given: { kind: 'epsg', epsg: 4547 } }));
    expect(distanceKm(firstPoint(ok.geometries[0])!, truth) * 1000).toBeLessThan(0.01);
  });

  it('geometries of GIS files: BD-09 corrected vertex by vertex; without a .prj, degrees read as WGS84 and metres refused', async () => {
    const bd = gcoord.transform(truth, gcoord.WGS84, gcoord.BD09) as LonLat;
    const line: GeoJSON.Geometry = { type: 'LineString', coordinates: [bd, [bd[0] + 0.001, bd[1]]] };
    const p = await positionsOf(noDb, input([{}], {}, { geometries: [line], given: { kind: 'bd09' } }));
    expect(distanceKm(firstPoint(p.geometries[0])!, truth) * 1000).toBeLessThan(1);
    expect(mapCoordinates({ type: 'Point', coordinates: [1, 2, 3] }, ([a, b]) => [b, a])).toEqual({ type: 'Point', coordinates: [2, 1, 3] });
    const raw = await positionsOf(noDb, input([{}], {}, { geometries: [{ type: 'Point', coordinates: truth }], rawCoordinates: true }));
    expect(raw.warnings[0]).toMatch(/no coordinate system \(no \.prj\)/);
    const m = tmForward(truth[0], truth[1], { lon0: 114, x0: 500_000, k0: 1 });
    await expect(positionsOf(noDb, input([{}], {}, { geometries: [{ type: 'Point', coordinates: m }], rawCoordinates: true }))).rejects.toThrow(/no \.prj.*give crs=EPSG:4547/);
    expect(toWgs84(m[0], m[1], { kind: 'epsg', epsg: 4547 })[0]).toBeCloseTo(truth[0], 8);
  });
});

describe('CSV text for GDAL', () => {
  it('a title line gets the separator the rows use, as many as the widest row has; other text is left as it is', () => {
    expect(withSeparatorOnFirstLine('台账\r\n编码,名称,经度\r\n1,a,114\r\n')).toBe('台账,,\r\n编码,名称,经度\r\n1,a,114\r\n');
    expect(withSeparatorOnFirstLine('台账\n编码;名称\n1;a\n')).toBe('台账;\n编码;名称\n1;a\n');
    expect(withSeparatorOnFirstLine('"台账"\n编码,名称\n')).toBe('"台账"\n编码,名称\n');
    expect(withSeparatorOnFirstLine('编码,名称\n1,a\n')).toBe('编码,名称\n1,a\n');
    expect(withSeparatorOnFirstLine('one column\nonly\n')).toBe('one column\nonly\n');
  });
});
