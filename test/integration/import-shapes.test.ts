// A district's own files through GDAL, confined as every import is (gdal-env.ts): a zipped GBK Shapefile
// in CGCS2000 / 3° Gauss-Krüger CM 114°E with a .cpg, with only the DBF's language driver id, and with
// neither (detected from the bytes, read with ENCODING); a GBK CSV of points copied from Amap (GCJ-02);
// an Excel ledger with a title row and a two-row merged header; and the CGCS2000 zone table checked
// against GDAL's own definitions. Fixtures are made here: ogr2ogr writes the Shapefile, the truths come
// from gdaltransform (PROJ) and gcoord.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gdalFeatures } from '../../server/importers/gdal-read.ts';
import { importLimits } from '../../server/importers/limits.ts';
import { checkDeviceCode, parseClock, parseDefectCode, parseGrade } from '../../server/importers/shapes/codes.ts';
import { knownHeader, matchColumns } from '../../server/importers/shapes/columns.ts';
import { distanceKm, guessProjected, landingCheck, type LonLat } from '../../server/importers/shapes/crs-check.ts';
import { crsFromHeader, gaussKruger, toWgs84 } from '../../server/importers/shapes/crs.ts';
import { decodeText, detectDbfEncoding, detectTextEncoding, gdalEncoding } from '../../server/importers/shapes/encoding.ts';
import { encodeGbk, garbledColumns } from '../../server/importers/shapes/garbled.ts';
import { gdalTableRows } from '../../server/importers/shapes/gdal-table.ts';
import { findHeader, sheetRecords } from '../../server/importers/shapes/header-rows.ts';
import { TARGETS } from '../../server/importers/shapes/targets/index.ts';
import { shapefileText } from '../../server/importers/shapes/zip-member.ts';
import { checkZip } from '../../server/importers/zip-check.ts';
import { xlsxWorkbook } from '../helpers/xlsx.ts';
import { zipArchive } from '../helpers/zip.ts';

const limits = importLimits({ gdalSeconds: 30 });
const WUCHANG_BBOX: [number, number, number, number] = [114.25, 30.47, 114.42, 30.64];
const WUCHANG: LonLat = [114.32, 30.55];
let work: string;
beforeAll(() => { work = mkdtempSync(path.join(os.tmpdir(), 'onemap-test-shapes-')); });
afterAll(() => { if (work) rmSync(work, { recursive: true, force: true }); });

/** A private folder for one read, as the importer makes (GDAL's cwd, HOME and temp). */
function privateDir(): string {
  return mkdtempSync(path.join(work, 'import-'));
}

/** gdaltransform between two EPSG codes, x y in GIS order. */
function transform(points: [number, number][], from: number, to: number): [number, number][] {
  const out = execFileSync('gdaltransform', ['-s_srs', `EPSG:${from}`, '-t_srs', `EPSG:${to}`, '-output_xy'], { input: points.map((p) => p.join(' ')).join('\n') });
  return out.toString().trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
}

const metres = (a: LonLat, b: LonLat) => distanceKm(a, b) * 1000;

describe('the CGCS2000 Gauss-Krüger table', () => {
  it('every code 4491–4554 is the zone crs.ts says (gdalsrsinfo)', () => {
    for (let epsg = 4491; epsg <= 4554; epsg++) {
      const proj = execFileSync('gdalsrsinfo', ['-o', 'proj4', `EPSG:${epsg}`]).toString();
      const gk = gaussKruger(epsg)!;
      expect(proj, `EPSG:${epsg}`).toContain(`+proj=tmerc +lat_0=0 +lon_0=${gk.cm} +k=1 +x_0=${gk.falseEasting} +y_0=0 +ellps=GRS80`);
    }
  });
});

describe('a zipped GBK Shapefile in EPSG:4547', () => {
  // Pumping stations and waterlogging points of Wuchang, in CGCS2000 / 3° GK CM 114°E.
  const POINTS: { name: string; kind: string; xy: [number, number] }[] = [
    { name: '中山路泵站', kind: '泵站', xy: [528785.0, 3381123.0] },
    { name: '武昌区积水点', kind: '积水点', xy: [531200.5, 3383456.25] },
    { name: '东湖路排口（一号）', kind: '排口', xy: [526000.125, 3378000.75] },
  ];
  let truth: LonLat[];
  /** The Shapefile's members, written by ogr2ogr with GBK attributes. */
  let files: Record<string, Buffer>;

  beforeAll(() => {
    truth = transform(POINTS.map((p) => p.xy), 4547, 4326);
    const dir = mkdtempSync(path.join(work, 'make-'));
    writeFileSync(path.join(dir, 'pts.csv'), `名称,类型,wkt\n${POINTS.map((p) => `${p.name},${p.kind},"POINT (${p.xy[0]} ${p.xy[1]})"`).join('\n')}\n`);
    execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-a_srs', 'EPSG:4547', '-oo', 'GEOM_POSSIBLE_NAMES=wkt', '-oo', 'KEEP_GEOM_COLUMNS=NO', '-lco', 'ENCODING=GBK',
      path.join(dir, '泵站.shp'), path.join(dir, 'pts.csv')]);
    files = Object.fromEntries(['shp', 'shx', 'dbf', 'prj', 'cpg'].map((ext) => [ext, readFileSync(path.join(dir, `泵站.${ext}`))]));
    expect(files.cpg.toString()).toBe('GBK');
    expect(files.dbf[29]).toBe(0); // no language driver id: the .cpg alone says GBK
  });

  /** Reads `members` zipped, as the importer does: the archive checked, each .shp by name through /vsizip/. */
  async function read(members: Record<string, Buffer>, openOptions?: string[]) {
    const zip = zipArchive(members);
    const entries = checkZip(zip);
    const shp = entries.find((e) => e.name.endsWith('.shp'))!;
    const dir = privateDir();
    const file = path.join(dir, 'upload.zip');
    writeFileSync(file, zip);
    const text = shapefileText(zip, entries, shp.name);
    const features = await gdalFeatures({ path: `/vsizip/{${file}}/${shp.gdalName}`, format: 'shapefile', dir, filename: 'pumps.zip', openOptions }, null, limits);
    return { text, features };
  }

  function expectIntact(features: GeoJSON.Feature[]) {
    expect(features.map((f) => f.properties!['名称'])).toEqual(POINTS.map((p) => p.name));
    expect(features.map((f) => f.properties!['类型'])).toEqual(POINTS.map((p) => p.kind));
    features.forEach((f, i) => {
      const [lon, lat] = (f.geometry as GeoJSON.Point).coordinates;
      expect(metres([lon, lat], truth[i]), POINTS[i].name).toBeLessThan(0.1);
    });
    expect(garbledColumns(features.map((f) => f.properties!))).toEqual([]);
  }

  it('(a) with a .cpg saying GBK: intact Chinese names (field names too), positions within 0.1 m of PROJ', async () => {
    const { text, features } = await read({ '泵站.shp': files.shp, '泵站.shx': files.shx, '泵站.dbf': files.dbf, '泵站.prj': files.prj, '泵站.cpg': files.cpg });
    expect(detectDbfEncoding(text.dbf, { cpg: text.cpg })).toMatchObject({ encoding: 'gb18030', from: 'cpg', warnings: [] });
    expectIntact(features);
    // Our own Gauss-Krüger inverse agrees with PROJ to the millimetre; the landing check passes.
    POINTS.forEach((p, i) => expect(metres(toWgs84(p.xy[0], p.xy[1], { kind: 'epsg', epsg: 4547 }), truth[i])).toBeLessThan(0.001));
    expect(landingCheck(truth, WUCHANG_BBOX).message).toBeNull();
  });

  it('(b) without a .cpg but with the DBF language driver id 0x4D: detected, and read intact', async () => {
    const dbf = Buffer.from(files.dbf);
    dbf[29] = 0x4d;
    const { text, features } = await read({ 'pumps.shp': files.shp, 'pumps.shx': files.shx, 'pumps.dbf': dbf, 'pumps.prj': files.prj });
    expect(text.cpg).toBeNull();
    expect(detectDbfEncoding(text.dbf, { cpg: text.cpg })).toMatchObject({ encoding: 'gb18030', from: 'ldid', warnings: [] });
    expectIntact(features);
  });

  it('(b\') with neither: GDAL reads the bytes as they are, the garbling check says so, and the encoding found in the bytes reads it intact', async () => {
    const members = { 'pumps.shp': files.shp, 'pumps.shx': files.shx, 'pumps.dbf': files.dbf, 'pumps.prj': files.prj };
    const raw = await read(members);
    const garbled = garbledColumns(raw.features.map((f) => f.properties!));
    expect(garbled.length).toBeGreaterThan(0);
    expect(garbled.map((g) => g.message).join('\n')).toMatch(/names look garbled: \d+ % of text in .* is replacement characters; try --encoding gbk/);
    const guess = detectDbfEncoding(raw.text.dbf, { cpg: raw.text.cpg });
    expect(guess).toMatchObject({ encoding: 'gb18030', from: 'bytes' });
    const fixed = await read(members, [`ENCODING=${gdalEncoding(guess.encoding)}`]);
    expectIntact(fixed.features);
  });

  it('without a .prj: refused with what to give; the raw metres (read as if EPSG:4326) guessed to be EPSG:4547, which then reads true', async () => {
    const zip = zipArchive({ 'pumps.shp': files.shp, 'pumps.shx': files.shx, 'pumps.dbf': files.dbf, 'pumps.cpg': files.cpg });
    const dir = privateDir();
    writeFileSync(path.join(dir, 'upload.zip'), zip);
    const src = { path: `/vsizip/{${path.join(dir, 'upload.zip')}}/pumps.shp`, format: 'shapefile' as const, dir, filename: 'pumps.zip' };
    await expect(gdalFeatures(src, null, limits)).rejects.toThrow(/no coordinate system GDAL can read .*give crs=EPSG:<code>/);
    // Source and target both EPSG:4326: GDAL passes the coordinates through untouched.
    const raw = await gdalFeatures(src, 4326, limits);
    const samples = raw.map((f) => (f.geometry as GeoJSON.Point).coordinates as [number, number]);
    samples.forEach((p, i) => expect(Math.hypot(p[0] - POINTS[i].xy[0], p[1] - POINTS[i].xy[1])).toBeLessThan(1e-6));
    const guess = guessProjected(samples, WUCHANG);
    expect(guess.candidates[0].crs).toEqual({ kind: 'epsg', epsg: 4547 });
    expect(guess.message).toMatch(/give crs=EPSG:4547$/);
    const given = await gdalFeatures(src, 4547, limits);
    given.forEach((f, i) => expect(metres((f.geometry as GeoJSON.Point).coordinates as LonLat, truth[i])).toBeLessThan(0.1));
    // Given the wrong zone, the data lands far away, and the landing check says so.
    const wrong = await gdalFeatures(src, 4509, limits);
    expect(landingCheck(wrong.map((f) => (f.geometry as GeoJSON.Point).coordinates as LonLat), WUCHANG_BBOX, { crs: { kind: 'epsg', epsg: 4509 } }).message)
      .toMatch(/^the data \(read as EPSG:4509\) lands 2\d\d km from the district: is the CRS right\?$/);
  });
});

describe('(c) a GBK CSV of points copied from Amap (GCJ-02)', () => {
  const TRUTH: { name: string; wgs: LonLat }[] = [
    { name: '黄鹤楼', wgs: [114.2995, 30.5446] },
    { name: '武昌火车站', wgs: [114.3118, 30.5293] },
    { name: '湖北省博物馆', wgs: [114.3598, 30.5617] },
  ];

  it('decoded, read by GDAL\'s CSV driver, corrected to WGS84 within 1 m', async () => {
    const rows = TRUTH.map((t) => {
      const gcj = gcoord.transform(t.wgs, gcoord.WGS84, gcoord.GCJ02) as LonLat;
      // The truth is gcoord's forward transform; its inverse must come back to where it started.
      expect(metres(gcoord.transform(gcj, gcoord.GCJ02, gcoord.WGS84) as LonLat, t.wgs)).toBeLessThan(1);
      expect(metres(gcj, t.wgs)).toBeGreaterThan(100);
      return `${t.name},${gcj[0].toFixed(7)},${gcj[1].toFixed(7)},积水点`;
    });
    // As Excel saves "CSV (逗号分隔)" on Chinese Windows: GBK, CRLF, a title line above the header.
    const csv = `武昌区易涝点台账,,,\r\n名称,经度(GCJ02),纬度(GCJ02),设施类型\r\n${rows.join('\r\n')}\r\n`;
    const bytes = Buffer.from(encodeGbk(csv)!);
    const guess = detectTextEncoding(bytes);
    expect(guess).toMatchObject({ encoding: 'gb18030', from: 'bytes' });

    // Read as it is, GDAL's CSV driver passes the GBK bytes on: garbled, and said so.
    const rawDir = privateDir();
    writeFileSync(path.join(rawDir, 'upload.csv'), bytes);
    const raw = await gdalTableRows({ path: path.join(rawDir, 'upload.csv'), format: 'csv', dir: rawDir, filename: 'points.csv' }, limits);
    const rawHead = findHeader(raw.rows);
    expect(garbledColumns(sheetRecords(raw.rows, rawHead).records).length).toBeGreaterThan(0);

    const dir = privateDir();
    writeFileSync(path.join(dir, 'upload.csv'), decodeText(bytes, guess.encoding));
    const table = await gdalTableRows({ path: path.join(dir, 'upload.csv'), format: 'csv', dir, filename: 'points.csv' }, limits);
    const head = findHeader(table.rows, { known: knownHeader([TARGETS.facilities]) });
    expect(head).toMatchObject({ headerRow: 1, headerRows: 1, names: ['名称', '经度(GCJ02)', '纬度(GCJ02)', '设施类型'], skipped: ['武昌区易涝点台账'] });
    const { records } = sheetRecords(table.rows, head);
    expect(garbledColumns(records)).toEqual([]);
    const cols = matchColumns(head.names, TARGETS.facilities);
    expect(cols.mapping).toMatchObject({ name: '名称', kind: '设施类型', lon: '经度(GCJ02)', lat: '纬度(GCJ02)' });
    const crs = crsFromHeader(cols.mapping.lon)!;
    expect(crs).toEqual({ kind: 'gcj02' });
    records.forEach((r, i) => {
      expect(r['名称']).toBe(TRUTH[i].name);
      const wgs = toWgs84(Number(r[cols.mapping.lon]), Number(r[cols.mapping.lat]), crs);
      expect(metres(wgs, TRUTH[i].wgs), TRUTH[i].name).toBeLessThan(1);
    });
  });

  it('UTF-8 with a BOM: the first name has no BOM in it', async () => {
    const dir = privateDir();
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('设备编码,名称,经度,纬度\r\n42010600001320000001,中山路口,114.301,30.551\r\n')]);
    const guess = detectTextEncoding(bytes);
    expect(guess).toMatchObject({ encoding: 'utf-8', from: 'bom' });
    writeFileSync(path.join(dir, 'upload.csv'), decodeText(bytes, guess.encoding));
    const table = await gdalTableRows({ path: path.join(dir, 'upload.csv'), format: 'csv', dir, filename: 'cams.csv' }, limits);
    expect(table.rows).toEqual([['设备编码', '名称', '经度', '纬度'], ['42010600001320000001', '中山路口', '114.301', '30.551']]);
    // Read as text, the 20-digit code keeps every digit.
    expect(checkDeviceCode(table.rows[1][0], { expect: 'camera', county: '420106' })).toBeNull();
  });
});

describe('(d) an Excel ledger with a title row and a two-row merged header', () => {
  const ROWS = [
    ['武昌区排水管道 CCTV 检测缺陷汇总表', null, null, null, null, null, null, null, null, null],
    ['检测单位：武汉市政检测中心', null, null, null, null, null, null, '日期：2024年5月', null, null],
    ['序号', '管段编号', '检测信息', null, null, '缺陷', null, null, null, '备注'],
    [null, null, '检测日期', '检测方向', '检测方法', '缺陷名称', '缺陷等级', '距离(m)', '时钟表示', null],
    [1, 'YS001', '2024-05-06', '顺流', 'CCTV', '破裂', 'Ⅲ级', 12.5, '0309', '环向裂缝'],
    [2, 'YS001', '2024-05-06', '顺流', 'CCTV', '树根', 2, 20.3, '1203', null],
    [3, 'WS017', '2024-05-07', '逆流', 'QV', '残墙、坝根', '一级', 3, '06', null],
  ];
  const MERGES = ['A1:J1', 'A2:G2', 'H2:J2', 'A3:A4', 'B3:B4', 'C3:E3', 'F3:I3', 'J3:J4'];

  it('read through GDAL\'s XLSX driver; the header found under the title and merged; rows read as the inspection layer', async () => {
    const dir = privateDir();
    const file = path.join(dir, 'upload.xlsx');
    writeFileSync(file, xlsxWorkbook(ROWS, { merges: MERGES, sheet: '缺陷表' }));
    const table = await gdalTableRows({ path: file, format: 'xlsx', dir, filename: 'defects.xlsx' }, limits);
    expect(table.sheet).toBe('缺陷表');
    expect(table.rows[0]).toEqual(['武昌区排水管道 CCTV 检测缺陷汇总表']);
    const head = findHeader(table.rows, { known: knownHeader([TARGETS.inspections]) });
    expect(head).toMatchObject({ headerRow: 2, headerRows: 2, dataStart: 4, skipped: ['武昌区排水管道 CCTV 检测缺陷汇总表', '检测单位：武汉市政检测中心 日期：2024年5月'] });
    expect(head.names).toEqual(['序号', '管段编号', '检测信息 / 检测日期', '检测信息 / 检测方向', '检测信息 / 检测方法', '缺陷 / 缺陷名称', '缺陷 / 缺陷等级', '缺陷 / 距离(m)', '缺陷 / 时钟表示', '备注']);
    const cols = matchColumns(head.names, TARGETS.inspections);
    expect(cols.ok).toBe(true);
    expect(cols.mapping).toEqual({
      pipe_code: '管段编号', inspected_at: '检测信息 / 检测日期', direction: '检测信息 / 检测方向', method: '检测信息 / 检测方法',
      defect_name: '缺陷 / 缺陷名称', grade: '缺陷 / 缺陷等级', distance_m: '缺陷 / 距离(m)', clock: '缺陷 / 时钟表示', note: '备注',
    });
    const { records } = sheetRecords(table.rows, head);
    const read = records.map((r) => {
      const code = parseDefectCode(r[cols.mapping.defect_name]);
      const grade = parseGrade(r[cols.mapping.grade]);
      const clock = parseClock(r[cols.mapping.clock]);
      return [r[cols.mapping.pipe_code], code.ok && code.value.code, grade.ok && grade.value, Number(r[cols.mapping.distance_m]), clock.ok && clock.value];
    });
    expect(read).toEqual([
      ['YS001', 'PL', 3, 12.5, { from: 3, to: 9 }],
      ['YS001', 'SG', 2, 20.3, { from: 12, to: 3 }],
      ['WS017', 'CQ', 1, 3, { from: 6, to: 6 }],
    ]);
  });

  it('a sheet by name, a missing sheet, and a file that is not a workbook, refused without server paths', async () => {
    const dir = privateDir();
    const file = path.join(dir, 'upload.xlsx');
    writeFileSync(file, xlsxWorkbook([['名称'], ['a']], { sheet: 'Data' }));
    expect((await gdalTableRows({ path: file, format: 'xlsx', dir, filename: 'x.xlsx', sheet: 'Data' }, limits)).rows).toEqual([['名称'], ['a']]);
    await expect(gdalTableRows({ path: file, format: 'xlsx', dir, filename: 'x.xlsx', sheet: 'Nope' }, limits)).rejects.toThrow('the workbook has no sheet "Nope" (sheets: "Data")');
    writeFileSync(file, '名称,经度\na,1\n');
    const err = await gdalTableRows({ path: file, format: 'xlsx', dir, filename: 'x.xlsx' }, limits).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^GDAL could not read the file as an Excel workbook \(\.xlsx\)/);
    expect((err as Error).message).not.toContain(dir);
  });
});
