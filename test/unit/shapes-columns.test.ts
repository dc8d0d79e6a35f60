// Matching a district file's column names to a layer's fields (server/importers/shapes/columns.ts) and
// the layer definitions (targets/): every column a field fills exists in the migrations' tables.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyUserMapping, mappingTemplate, matchColumns, matchValue, normalizeHeader, type LayerTarget } from '../../server/importers/shapes/columns.ts';
import { TARGETS } from '../../server/importers/shapes/targets/index.ts';

const field = (t: LayerTarget, name: string) => t.fields.find((f) => f.field === name)!;

describe('normalising column names', () => {
  it('case, spaces, underscores, punctuation, full width, units in brackets, required marks', () => {
    expect(normalizeHeader('Grid_Code')).toBe('gridcode');
    expect(normalizeHeader(' grid code ')).toBe('gridcode');
    expect(normalizeHeader('管径(mm)')).toBe('管径');
    expect(normalizeHeader('管径（毫米）')).toBe('管径');
    expect(normalizeHeader('经度[°]')).toBe('经度');
    expect(normalizeHeader('*名称')).toBe('名称');
    expect(normalizeHeader('ＧＢ２８１８１编码')).toBe('gb28181编码');
    expect(normalizeHeader('缺陷代码：')).toBe('缺陷代码');
    expect(normalizeHeader('设备·编码')).toBe('设备编码');
    // All brackets: what is inside them.
    expect(normalizeHeader('(备注)')).toBe('备注');
  });
});

describe('matching a file\'s columns', () => {
  it('a camera ledger in Chinese', () => {
    const headers = ['序号', '点位名称', '国标编码', '经度(GCJ02)', '纬度(GCJ02)', '所属街道', '安装位置', '摄像机类型', '建设单位', '在线状态'];
    const m = matchColumns(headers, TARGETS.cameras);
    expect(m.mapping).toEqual({ code: '国标编码', name: '点位名称', kind: '摄像机类型', lon: '经度(GCJ02)', lat: '纬度(GCJ02)', status: '在线状态', owner: '建设单位', address: '安装位置' });
    expect(m.ok).toBe(true);
    expect(m.missing).toEqual([]);
    expect(m.unused).toEqual(['序号', '所属街道']);
  });

  it('a camera export in English, with X/Y instead of lon/lat', () => {
    const m = matchColumns(['DeviceID', 'Name', 'Type', 'POINT_X', 'POINT_Y', 'Azimuth', 'FOV', 'Range', 'Status'], TARGETS.cameras);
    expect(m.mapping).toEqual({ code: 'DeviceID', name: 'Name', kind: 'Type', x: 'POINT_X', y: 'POINT_Y', azimuth_deg: 'Azimuth', hfov_deg: 'FOV', range_m: 'Range', status: 'Status' });
    expect(m.ok).toBe(true);
  });

  it('required fields and position: listed when missing, position waived for a file with geometry', () => {
    const m = matchColumns(['名称', '备注'], TARGETS.cameras);
    expect(m.ok).toBe(false);
    expect(m.missing).toEqual(['设备编码 GB/T 28181 code (code)', '经度/纬度 or X/Y columns (or a file with geometry)']);
    expect(matchColumns(['设备编码', '名称'], TARGETS.cameras, { hasGeometry: true }).ok).toBe(true);
    // Longitude alone is not a position.
    expect(matchColumns(['设备编码', '名称', '经度'], TARGETS.cameras).missing).toEqual(['经度/纬度 or X/Y columns (or a file with geometry)']);
  });

  it('an inspection sheet with a merged two-row header: the last part names the column; pipe code or both manholes', () => {
    const headers = ['序号', '起点井号', '终点井号', '检测信息 / 检测日期', '检测信息 / 检测方向', '缺陷 / 缺陷代码', '缺陷 / 缺陷等级', '缺陷 / 距离(m)', '缺陷 / 时钟表示', '照片编号', '备注'];
    const m = matchColumns(headers, TARGETS.inspections);
    expect(m.mapping).toEqual({
      from_manhole: '起点井号', to_manhole: '终点井号', inspected_at: '检测信息 / 检测日期', direction: '检测信息 / 检测方向',
      code: '缺陷 / 缺陷代码', grade: '缺陷 / 缺陷等级', distance_m: '缺陷 / 距离(m)', clock: '缺陷 / 时钟表示', photo: '照片编号', note: '备注',
    });
    expect(m.matches.find((x) => x.field === 'code')!.how).toBe('part');
    expect(m.ok).toBe(true);
    const noPipe = matchColumns(['起点井号', '检测日期', '缺陷名称', '缺陷等级', '距离'], TARGETS.inspections);
    expect(noPipe.missing).toEqual(['管段编号, or 起点井号 and 终点井号']);
    expect(matchColumns(['管段编号', '检测日期', '缺陷名称', '缺陷等级', '距离'], TARGETS.inspections).ok).toBe(true);
  });

  it('the more specific synonym wins a contested column; each column fills one field', () => {
    // 编号 could be the facility code; 设施编号 is more specific and takes code, 编号 stays unused.
    const m = matchColumns(['编号', '设施编号', '名称', '类型', 'X', 'Y'], TARGETS.facilities);
    expect(m.mapping.code).toBe('设施编号');
    expect(m.unused).toEqual(['编号']);
    // One column, two fields that could take it: the field whose synonym is more specific gets it.
    const s = matchColumns(['设备编码', '设备名称', '类型', '经度', '纬度', '阈值'], TARGETS.sensors);
    expect(s.mapping).toMatchObject({ code: '设备编码', name: '设备名称', kind: '类型', alarm_level: '阈值' });
  });

  it('a name holding a synonym of three characters or more, when just one column does: marked contains', () => {
    const m = matchColumns(['摄像头设备编码', '监控点位名称', '经度', '纬度', '管段长度'], TARGETS.cameras);
    expect(m.matches).toContainEqual({ field: 'code', header: '摄像头设备编码', how: 'contains' });
    expect(m.matches).toContainEqual({ field: 'name', header: '监控点位名称', how: 'contains' });
    // 长度 is too short to be looked for inside 管段长度.
    expect(matchColumns(['管段编号', '管段长度', '检测日期', '缺陷代码', '等级', '距离'], TARGETS.inspections).mapping.length_m).toBeUndefined();
  });

  it('names a Shapefile cut to 10 bytes (行政区划代码 → 行政区划代 in GBK, 行政区 in UTF-8): marked truncated, after whole names', () => {
    const gbk = matchColumns(['行政区划代', '行政区名称'], TARGETS.district);
    expect(gbk.matches).toEqual([{ field: 'code', header: '行政区划代', how: 'truncated' }, { field: 'name', header: '行政区名称', how: 'name' }]);
    expect(matchColumns(['行政区', '名称'], TARGETS.district).mapping).toEqual({ code: '行政区', name: '名称' });
    // A short name is no cut one: 网格 (6 bytes in UTF-8, 4 in GBK) is not taken for 网格编码.
    expect(matchColumns(['网格', '社区编码'], TARGETS.grids).mapping.code).toBeUndefined();
  });
});

describe('a person\'s mapping', () => {
  const headers = ['编号', '站名', '监测类型', 'lng', 'lat', '备注'];

  it('fills and overrides fields; null leaves one out; a normalised name is accepted when unique', () => {
    const auto = matchColumns(headers, TARGETS.sensors);
    expect(auto.missing).toEqual(['名称 name (name)']);
    const m = applyUserMapping(auto, { name: '站名', code: '编号', address: null, kind: '监测类型 ' }, headers, TARGETS.sensors);
    expect(m.ok).toBe(true);
    expect(m.mapping).toMatchObject({ name: '站名', code: '编号', kind: '监测类型' });
    expect(m.matches.find((x) => x.field === 'name')!.how).toBe('user');
  });

  it('a column given to one field is taken from the field that matched it', () => {
    const auto = matchColumns(headers, TARGETS.sensors);
    expect(auto.mapping.address).toBeUndefined();
    const m = applyUserMapping(auto, { name: '编号' }, headers, TARGETS.sensors);
    expect(m.mapping.name).toBe('编号');
    expect(m.mapping.code).toBeUndefined();
    expect(m.missing).toEqual(['站点编码 station code (code)']);
  });

  it('unknown fields, columns not in the file, wrong types: every problem at once', () => {
    const auto = matchColumns(headers, TARGETS.sensors);
    expect(() => applyUserMapping(auto, { nmae: '站名', code: '站点编号', kind: 3 }, headers, TARGETS.sensors))
      .toThrow(/the column mapping has 3 problems: sensors has no field "nmae" \(fields: code, name, .*\); column "站点编号" \(for code\) is not in the file \(columns: "编号", "站名", .*\); the column for kind must be a column name/);
    expect(() => applyUserMapping(auto, ['code'], headers, TARGETS.sensors)).toThrow(/must be a JSON object/);
  });

  it('the template lists every field, required first, with what was matched', () => {
    const t = mappingTemplate(TARGETS.sensors, matchColumns(headers, TARGETS.sensors));
    expect(Object.keys(t).slice(0, 3)).toEqual(['code', 'name', 'kind']);
    expect(t).toMatchObject({ code: '编号', name: null, kind: '监测类型', lon: 'lng', lat: 'lat', address: null });
    expect(Object.keys(t)).toHaveLength(TARGETS.sensors.fields.length);
  });
});

describe('enumerated values', () => {
  it('ledger words to stored values', () => {
    const kind = field(TARGETS.cameras, 'kind');
    expect(matchValue(kind, '枪机')).toBe('gun');
    expect(matchValue(kind, ' 球机 ')).toBe('dome');
    expect(matchValue(kind, 'PTZ')).toBe('ptz');
    expect(matchValue(kind, 'dome')).toBe('dome');
    expect(matchValue(kind, '枪机(白光)')).toBe('gun');
    expect(matchValue(kind, '不知道')).toBeNull();
    expect(matchValue(field(TARGETS.cameras, 'status'), '在线')).toBe('online');
    expect(matchValue(field(TARGETS.facilities, 'kind'), '易涝点')).toBe('waterlogging_point');
    expect(matchValue(field(TARGETS.inspections, 'direction'), '逆流')).toBe('upstream');
    expect(matchValue(field(TARGETS.cameras, 'name'), 'x')).toBeNull();
  });
});

/** table → its columns, from every CREATE TABLE and ALTER TABLE … ADD COLUMN of the migrations. */
function tableColumns(): Map<string, Set<string>> {
  const dir = path.join(import.meta.dirname, '../../server/db/migrations');
  const tables = new Map<string, Set<string>>();
  const cols = (t: string) => tables.get(t) ?? tables.set(t, new Set()).get(t)!;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    const sql = readFileSync(path.join(dir, file), 'utf8');
    for (const m of sql.matchAll(/CREATE TABLE (\w+) \(([\s\S]*?)\n\);/g)) {
      for (const line of m[2].split('\n')) {
        const c = /^\s+(\w+)\s+(?!KEY)[a-z]/i.exec(line);
        if (c && !['PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN', 'CONSTRAINT'].includes(c[1].toUpperCase())) cols(m[1]).add(c[1]);
      }
    }
    for (const m of sql.matchAll(/ALTER TABLE (\w+) ADD COLUMN (\w+)/g)) cols(m[1]).add(m[2]);
    for (const m of sql.matchAll(/ALTER TABLE (\w+)((?: DROP COLUMN \w+,?)+)/g)) for (const d of m[2].matchAll(/DROP COLUMN (\w+)/g)) cols(m[1]).delete(d[1]);
  }
  return tables;
}

describe('layer definitions', () => {
  const tables = tableColumns();

  it('every column a field fills is a column of the table (or of the table named before the dot)', () => {
    expect(tables.get('cameras')).toContain('azimuth_deg');
    for (const t of Object.values(TARGETS)) {
      for (const f of t.fields) {
        if (!f.column) continue;
        const [table, column] = f.column.includes('.') ? f.column.split('.') : [t.table, f.column];
        expect(tables.get(table), `${t.layer}.${f.field} → ${f.column}`).toContain(column);
      }
    }
  });

  it('every NOT NULL column without a default is filled by some field, or derived (geometry, links)', () => {
    const derived = new Set(['id', 'geom', 'geom3857', 'fov', 'synthetic', 'inspection_id', 'pipe_id', 'community_code']);
    const dir = path.join(import.meta.dirname, '../../server/db/migrations');
    const sql = readdirSync(dir).filter((f) => f.endsWith('.sql')).map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n');
    for (const t of Object.values(TARGETS)) {
      const body = new RegExp(`CREATE TABLE ${t.table} \\(([\\s\\S]*?)\\n\\);`).exec(sql)![1];
      const filled = new Set(t.fields.map((f) => f.column).filter((c): c is string => !!c && !c.includes('.')));
      for (const line of body.split('\n')) {
        const c = /^\s+(\w+)\s.*NOT NULL(?!.*DEFAULT)(?!.*GENERATED)/.exec(line);
        if (c && !derived.has(c[1]) && !/PRIMARY KEY/.test(line)) {
          // Kind, status and the view of cameras have defaults in the importer, not in the table.
          const importerDefault = ['kind', 'status', 'azimuth_deg', 'hfov_deg', 'range_m', 'found_at', 'area_m2', 'usage', 'length_m'].includes(c[1]);
          expect(filled.has(c[1]) || importerDefault, `${t.table}.${c[1]}`).toBe(true);
        }
      }
    }
  });

  it('field names are unique in a layer, synonyms do not repeat across its fields, one-of groups name real fields', () => {
    for (const t of Object.values(TARGETS)) {
      const names = t.fields.map((f) => f.field);
      expect(new Set(names).size, t.layer).toBe(names.length);
      const seen = new Map<string, string>();
      for (const f of t.fields) {
        for (const s of new Set(f.synonyms.map(normalizeHeader))) {
          expect(seen.get(s), `${t.layer}: ${s} in ${f.field} and ${seen.get(s)}`).toBeUndefined();
          seen.set(s, f.field);
        }
      }
      for (const g of t.oneOf ?? []) for (const alt of g.alternatives) for (const f of alt) expect(names, `${t.layer} one-of ${f}`).toContain(f);
    }
  });
});
