// Layer imports for `npm run bench -- import`: a camera registry of 10,000 rows as the video platform
// exports it (GBK CSV, a title row, coordinates copied from Amap in GCJ-02), imported whole (read and decoded
// in the worker, 10,000 rows checked, staged, inserted, grid codes derived, coverage measured before and
// after), then again (all unchanged), as a dry run, and with every camera turned (all updated); the cameras
// are removed after each round. Target:
// under 10 s for the 10,000 rows.
import gcoord from 'gcoord';
import type pg from 'pg';
import { runLayerImport } from '../server/importers/pipeline/run.ts';
import { encodeGbk } from '../server/importers/shapes/garbled.ts';
import { pointsInGrids } from './shared.ts';

/** GB/T 28181 codes of the benchmark's cameras: network digit 2, which the seed (0) and the tests (1) do not use. */
const PREFIX = '42010600001322';

/** The registry; `turn` degrees added to every azimuth makes a file that changes every row. */
export async function cameraCsv(pool: pg.Pool, n: number, turn = 0): Promise<Buffer> {
  const c = await pool.connect();
  try {
    // The core area is partly river: twice the candidates give enough points on land.
    const pts = await pointsInGrids(c, n, n * 2);
    if (pts.length < n) throw new Error(`only ${pts.length} points fall in grids; ${n} wanted (run the seed first)`);
    const kinds = ['枪机', '球机', '半球', '云台'];
    const lines = pts.map(([x, y], i) => {
      const [gx, gy] = gcoord.transform([x, y], gcoord.WGS84, gcoord.GCJ02) as [number, number];
      return `${PREFIX}${String(i + 1).padStart(6, '0')},测试点位${i + 1}号,${gx.toFixed(7)},${gy.toFixed(7)},${kinds[i % 4]},${(i * 37 + turn) % 360},${60 + (i % 4) * 10},${40 + (i % 5) * 10},${i % 17 ? '在线' : '离线'},公安`;
    });
    const csv = `武昌区视频监控点位台账（高德坐标）\r\n设备编码,设备名称,经度(GCJ02),纬度(GCJ02),摄像机类型,方位角,视场角,可视距离,在线状态,权属单位\r\n${lines.join('\r\n')}\r\n`;
    return Buffer.from(encodeGbk(csv)!);
  } finally {
    c.release();
  }
}

export interface LayerBenchRow { name: string; rows: number; mb: number; seconds: number[]; median: number; read: number; validate: number; write: number; outcome: string }

export async function benchLayerImports(pool: pg.Pool, n = 10_000): Promise<LayerBenchRow[]> {
  const buf = await cameraCsv(pool, n);
  const turned = await cameraCsv(pool, n, 90);
  const runs: Record<'insert' | 'again' | 'dry' | 'changed', { s: number; r: Awaited<ReturnType<typeof runLayerImport>> }[]> = { insert: [], again: [], dry: [], changed: [] };
  const timed = async (dryRun: boolean, file = buf) => {
    const t = performance.now();
    const r = await runLayerImport(pool, file, { layer: 'cameras', filename: 'cameras.csv', dryRun });
    return { s: (performance.now() - t) / 1000, r };
  };
  const clean = async () => {
    await pool.query(`DELETE FROM cameras WHERE code LIKE $1 || '%'`, [PREFIX]);
    await pool.query(`DELETE FROM imports WHERE layer = 'cameras' AND filename = 'cameras.csv'`);
  };
  await clean();
  for (let i = 0; i < 3; i++) {
    runs.insert.push(await timed(false));
    runs.again.push(await timed(false));
    runs.dry.push(await timed(true));
    runs.changed.push(await timed(false, turned));
    await clean();
  }
  const mb = Math.round((buf.length / 1024 ** 2) * 100) / 100;
  const row = (name: string, list: typeof runs.insert): LayerBenchRow => {
    const seconds = list.map((x) => Math.round(x.s * 100) / 100);
    const median = [...seconds].sort((a, b) => a - b)[1];
    const last = list[list.length - 1].r;
    const c = last.counts;
    console.log(`[bench] ${name}: median ${median.toFixed(2)} s (read ${last.timing_ms.read} ms, validate ${last.timing_ms.validate} ms, write ${last.timing_ms.write} ms)`);
    return { name, rows: c.read, mb, seconds, median, ...last.timing_ms, outcome: `${c.insert} inserted, ${c.update} updated, ${c.unchanged} unchanged, ${c.rejected} refused` };
  };
  return [
    row(`${n.toLocaleString('en')} cameras, GBK CSV in GCJ-02: imported`, runs.insert),
    row('the same file again', runs.again),
    row('the same file again, dry run', runs.dry),
    row('every camera turned 90° (all rows updated)', runs.changed),
  ];
}
