// A real-sized CCTV results file for the import benchmark: `reaches` seed pipes that have no inspection yet,
// four defects each, as a contractor's .xlsx (title row, two-row header, each reach's cells merged down,
// reaches named by pipe code) and as a GBK CSV (one row per defect, reaches named by their manholes).
// Deterministic; the defects lie within each reach and have grades their codes define.
import type pg from 'pg';
import { DEFECT_CODES } from '../server/domain/cjj181/tables.ts';
import { encodeGbk } from '../server/importers/shapes/garbled.ts';
import { xlsxWorkbook, type XlsxCell } from '../test/helpers/xlsx.ts';

export interface InspectionFiles {
  xlsx: Buffer;
  csv: Buffer;
  rows: number;
  pipeIds: number[];
}

const DEFECTS_PER_REACH = 4;

/** Yesterday in China: never in the future, whenever the benchmark runs. */
function yesterday(): string {
  return new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
}

export async function inspectionFiles(pool: pg.Pool, reaches: number): Promise<InspectionFiles> {
  const { rows: pipes } = await pool.query<{ id: number; code: string; f: string; t: string; length_m: number; diameter_mm: number | null }>(
    `SELECT p.id, p.code, f.code AS f, t.code AS t, p.length_m, p.diameter_mm FROM pipes p
     JOIN manholes f ON f.id = p.from_node JOIN manholes t ON t.id = p.to_node
     WHERE p.import_id IS NULL AND p.length_m >= 5 AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.pipe_id = p.id)
       AND p.code NOT IN (SELECT code FROM pipes WHERE import_id IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM pipes o WHERE o.id <> p.id AND ((o.from_node = p.from_node AND o.to_node = p.to_node) OR (o.from_node = p.to_node AND o.to_node = p.from_node)))
     ORDER BY p.id LIMIT $1`, [reaches]);
  if (pipes.length < reaches) throw new Error(`the database has ${pipes.length} uninspected seed pipes; ${reaches} wanted (run the seed first)`);
  // Every (code, grade) the standard defines, in a fixed order.
  const kinds = DEFECT_CODES.flatMap((d) => d.scores.flatMap((s, g) => (s === null ? [] : [{ code: d.code, name: d.name_zh, grade: g + 1 }])));
  const date = yesterday();
  const title: XlsxCell[] = ['CCTV 检测成果表（基准测试）'];
  const top: XlsxCell[] = ['序号', '管段编号', '管径(mm)', '检测信息', null, '缺陷', null, null, null, null, '缺陷描述'];
  const bottom: XlsxCell[] = [null, null, null, '检测日期', '检测方向', '距离(m)', '缺陷名称', '缺陷代码', '缺陷等级', '时钟表示', null];
  const sheet: XlsxCell[][] = [title, top, bottom];
  const merges = ['A1:K1', 'A2:A3', 'B2:B3', 'C2:C3', 'D2:E2', 'F2:J2', 'K2:K3'];
  const csv: string[] = ['起点井号,终点井号,检测日期,检测方向,缺陷代码,缺陷名称,缺陷等级,距离(m),时钟表示,备注'];
  let k = 0;
  pipes.forEach((p, i) => {
    for (let j = 0; j < DEFECTS_PER_REACH; j++, k++) {
      const d = kinds[(k * 7) % kinds.length];
      const at = +((p.length_m * (j + 0.5)) / DEFECTS_PER_REACH).toFixed(1);
      const clock = `${String(1 + (k % 12)).padStart(2, '0')}${String(1 + ((k + 3) % 12)).padStart(2, '0')}`;
      const first = j === 0;
      sheet.push([first ? i + 1 : null, first ? p.code : null, first ? p.diameter_mm : null, first ? date : null, first ? '顺流' : null,
        at, d.name, d.code, d.grade, clock, `第 ${j + 1} 处`]);
      csv.push([p.f, p.t, date, '顺流', d.code, d.name, `${d.grade}级`, at, clock, ''].join(','));
    }
    const r = 4 + i * DEFECTS_PER_REACH;
    for (const col of 'ABCDE') merges.push(`${col}${r}:${col}${r + DEFECTS_PER_REACH - 1}`);
  });
  return {
    xlsx: xlsxWorkbook(sheet, { merges, sheet: '检测成果' }),
    csv: Buffer.from(encodeGbk(`${csv.join('\r\n')}\r\n`)!),
    rows: k,
    pipeIds: pipes.map((p) => p.id),
  };
}
