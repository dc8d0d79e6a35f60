// The other layers for `npm run bench -- import`: each point ledger as a district keeps it, 10,000 rows in
// its usual shape — facilities as .xlsx in WGS84, sensor stations as a GBK CSV in CGCS2000 Gauss-Krüger
// (EPSG:4547), hazards as .xlsx placed by pipe code, misconnections as a UTF-8 CSV with a BOM in Baidu BD-09,
// vehicles as a GBK CSV in Amap GCJ-02 — imported (all inserted), again (all unchanged), removed, three
// rounds; and the area layers (district, streets, communities, grids) exported from the database as a
// zipped GBK shapefile in EPSG:4547 and imported as a dry run: a commit would turn the seed's synthetic
// areas into the district's own and re-derive the grid of every case, which a benchmark must not do to
// the database it measures. Codes carry a BENCH prefix no seed or test uses.
import gcoord from 'gcoord';
import type pg from 'pg';
import type { LayerName } from '../server/importers/layers/names.ts';
import { runLayerImport } from '../server/importers/pipeline/run.ts';
import { encodeGbk } from '../server/importers/shapes/garbled.ts';
import { xlsxWorkbook, type XlsxCell } from '../test/helpers/xlsx.ts';
import type { LayerBenchRow } from './import-layers.ts';
import { gbkShapefileZip } from './shapefile.ts';
import { pointsInGrids } from './shared.ts';

interface Ledger {
  layer: LayerName;
  name: string;
  filename: string;
  crs?: string;
  file(pts: [number, number][], pipes: string[]): Promise<Buffer> | Buffer;
  /** Removes what the ledger added. */
  clean: string;
}

const csv = (header: string[], rows: (string | number)[][]) => `${header.join(',')}\r\n${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;
const seq = (i: number) => String(i + 1).padStart(5, '0');

/** Points in CGCS2000 3° Gauss-Krüger zone 38 without prefix (EPSG:4547), as a surveying office writes them. */
async function gaussKruger(pool: pg.Pool, pts: [number, number][]): Promise<[number, number][]> {
  const { rows } = await pool.query<{ x: number; y: number }>(
    `SELECT ST_X(g) AS x, ST_Y(g) AS y FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS u(lon, lat, i),
       LATERAL (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4490), 4547) AS g) t ORDER BY i`,
    [pts.map((p) => p[0]), pts.map((p) => p[1])]);
  return rows.map((r) => [r.x, r.y]);
}

function ledgers(pool: pg.Pool): Ledger[] {
  const today = new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
  return [
    {
      layer: 'facilities', name: 'facilities, .xlsx in WGS84', filename: 'bench-facilities.xlsx',
      file: (pts) => {
        const kinds = ['泵站', '闸门', '排口', '渍水点'];
        const rows: XlsxCell[][] = pts.map(([x, y], i) => [`BENCH-F-${seq(i)}`, `测试设施${i + 1}号`, kinds[i % 4], `${(i % 9) + 1} m³/s`, x, y]);
        return xlsxWorkbook([['设施编码', '设施名称', '设施类型', '设计规模', '经度', '纬度'], ...rows]);
      },
      clean: `DELETE FROM facilities WHERE code LIKE 'BENCH-F-%'`,
    },
    {
      layer: 'sensors', name: 'sensor stations, GBK CSV in CGCS2000 GK (EPSG:4547)', filename: 'bench-sensors.csv', crs: 'EPSG:4547',
      file: async (pts) => {
        const xy = await gaussKruger(pool, pts);
        const kinds: [string, string, string, number, number][] = [['井下液位', '液位', 'm', 1.5, 2], ['积水', '积水深度', 'cm', 15, 27], ['雨量', '雨量', 'mm/h', 20, 50], ['燃气', '甲烷浓度', '%LEL', 10, 20]];
        const rows = xy.map(([x, y], i) => {
          const [kind, quantity, unit, warn, alarm] = kinds[i % 4];
          return [`BENCH-S-${seq(i)}`, `测试站点${i + 1}号`, kind, quantity, unit, warn, alarm, x.toFixed(3), y.toFixed(3)];
        });
        return Buffer.from(encodeGbk(csv(['站点编码', '站点名称', '站点类型', '监测项', '单位', '预警值', '报警值', 'X坐标', 'Y坐标'], rows))!);
      },
      clean: `DELETE FROM sensor_stations WHERE code LIKE 'BENCH-S-%'`,
    },
    {
      layer: 'hazards', name: 'hazards, .xlsx placed by pipe code', filename: 'bench-hazards.xlsx',
      file: (_pts, pipes) => {
        const defects: [string, number][] = [['PL', 2], ['BX', 3], ['CK', 1], ['SL', 2], ['CJ', 4]];
        const rows: XlsxCell[][] = pipes.map((code, i) => [`BENCH-H-${seq(i)}`, code, defects[i % 5][0], defects[i % 5][1], today, '基准测试隐患']);
        return xlsxWorkbook([['隐患编号', '管段编号', '缺陷代码', '缺陷等级', '发现日期', '隐患描述'], ...rows]);
      },
      clean: `DELETE FROM hazards WHERE ledger_code LIKE 'BENCH-H-%'`,
    },
    {
      layer: 'misconnections', name: 'misconnections, UTF-8 CSV with BOM in BD-09', filename: 'bench-misconnections.csv', crs: 'bd09',
      file: (pts) => {
        const kinds = ['污水混入雨水', '雨水混入污水', '其他'];
        const rows = pts.map(([x, y], i) => {
          const [bx, by] = gcoord.transform([x, y], gcoord.WGS84, gcoord.BD09) as [number, number];
          return [`BENCH-M-${seq(i)}`, kinds[i % 3], (i % 50) + 1, bx.toFixed(7), by.toFixed(7), today];
        });
        return Buffer.from(`\uFEFF${csv(['混接点编号', '混接类型', '混接水量', '经度', '纬度', '发现日期'], rows)}`);
      },
      clean: `DELETE FROM misconnections WHERE ledger_code LIKE 'BENCH-M-%'`,
    },
    {
      layer: 'vehicles', name: 'vehicles, GBK CSV in GCJ-02', filename: 'bench-vehicles.csv', crs: 'gcj02',
      file: (pts) => {
        const kinds = ['洒水车', '吸污车', '巡查车', '抢险车'];
        const rows = pts.map(([x, y], i) => {
          const [gx, gy] = gcoord.transform([x, y], gcoord.WGS84, gcoord.GCJ02) as [number, number];
          return [`鄂Z${String(i + 1).padStart(5, '0')}`, kinds[i % 4], gx.toFixed(7), gy.toFixed(7), `${today} 08:00:00`];
        });
        return Buffer.from(encodeGbk(csv(['车牌号', '车辆类型', '经度', '纬度', '定位时间'], rows))!);
      },
      clean: `DELETE FROM vehicles WHERE plate LIKE '鄂Z%'`,
    },
  ];
}

function median(list: number[]): number {
  return [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
}

function row(name: string, list: { s: number; r: Awaited<ReturnType<typeof runLayerImport>> }[], mb: number): LayerBenchRow {
  const seconds = list.map((x) => Math.round(x.s * 100) / 100);
  const last = list[list.length - 1].r;
  const c = last.counts;
  const m = median(seconds);
  console.log(`[bench] ${name}: median ${m.toFixed(2)} s (${c.insert} inserted, ${c.update} updated, ${c.unchanged} unchanged, ${c.rejected} refused)`);
  return { name, rows: c.read, mb, seconds, median: m, ...last.timing_ms, outcome: `${c.insert} inserted, ${c.update} updated, ${c.unchanged} unchanged, ${c.rejected} refused` };
}

/** The point ledgers, n rows each: imported, imported again, removed; three rounds. */
export async function benchLedgers(pool: pg.Pool, n = 10_000): Promise<LayerBenchRow[]> {
  const c = await pool.connect();
  const pts = await pointsInGrids(c, n, n * 2).finally(() => c.release());
  const { rows: pipes } = await pool.query<{ code: string }>(`SELECT code FROM pipes WHERE import_id IS NULL ORDER BY id LIMIT $1`, [n]);
  if (pts.length < n || pipes.length < n) throw new Error(`the database has ${pts.length} points in grids and ${pipes.length} seed pipes; ${n} of each wanted (run the seed first)`);
  const out: LayerBenchRow[] = [];
  for (const l of ledgers(pool)) {
    const buf = await l.file(pts, pipes.map((p) => p.code));
    const mb = Math.round((buf.length / 1024 ** 2) * 100) / 100;
    const timed = async () => {
      const t = performance.now();
      const r = await runLayerImport(pool, buf, { layer: l.layer, filename: l.filename, crs: l.crs, dryRun: false });
      if (r.counts.rejected) throw new Error(`${l.name}: ${r.counts.rejected} rows refused: ${JSON.stringify(r.rejected?.slice(0, 3))}`);
      return { s: (performance.now() - t) / 1000, r };
    };
    const clean = async () => {
      await pool.query(l.clean);
      await pool.query(`DELETE FROM imports WHERE filename = $1`, [l.filename]);
    };
    await clean();
    const first: Awaited<ReturnType<typeof timed>>[] = [];
    const again: Awaited<ReturnType<typeof timed>>[] = [];
    for (let i = 0; i < 3; i++) {
      first.push(await timed());
      again.push(await timed());
      await clean();
    }
    out.push(row(`${n.toLocaleString('en')} ${l.name}: imported`, first, mb), row(`${l.name}: the same file again`, again, mb));
  }
  return out;
}

/** A layer's rows as a zipped GBK shapefile in EPSG:4547 with Chinese column names, written by ogr2ogr. */
async function areaShapefile(pool: pg.Pool, sql: string, name: string): Promise<Buffer> {
  const { rows: [r] } = await pool.query<{ fc: unknown }>(
    `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
       'type', 'Feature', 'geometry', ST_AsGeoJSON(geom)::json, 'properties', to_jsonb(q) - 'geom')), '[]')) AS fc FROM (${sql}) q`);
  return gbkShapefileZip(JSON.stringify(r.fc), name);
}

/** The area layers as the database holds them, exported and imported back as dry runs (three runs). */
export async function benchAreas(pool: pg.Pool): Promise<LayerBenchRow[]> {
  const areas: { layer: LayerName; sql: string }[] = [
    { layer: 'district', sql: `SELECT code AS "行政区划代码", name AS "行政区名称", geom FROM districts` },
    { layer: 'streets', sql: `SELECT code AS "街道编码", name AS "街道名称", district_code AS "行政区划代码", geom FROM streets` },
    { layer: 'communities', sql: `SELECT code AS "社区编码", name AS "社区名称", street_code AS "街道编码", geom FROM communities` },
    { layer: 'grids', sql: `SELECT code AS "网格编码", community_code AS "社区编码", geom FROM grids` },
  ];
  const out: LayerBenchRow[] = [];
  for (const a of areas) {
    const buf = await areaShapefile(pool, a.sql, `bench_${a.layer}`);
    const runs: { s: number; r: Awaited<ReturnType<typeof runLayerImport>> }[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const r = await runLayerImport(pool, buf, { layer: a.layer, filename: `bench_${a.layer}.zip`, dryRun: true });
      runs.push({ s: (performance.now() - t) / 1000, r });
    }
    out.push(row(`${a.layer}: GBK shapefile in EPSG:4547, dry run`, runs, Math.round((buf.length / 1024 ** 2) * 100) / 100));
  }
  return out;
}
