// The codes a district's ledgers carry, checked before a row is written: unit grid codes (GB/T 30428.2:
// county + street + community + grid), GB/T 28181 device codes, CJJ 181-2012 defect codes and grades, and
// clock positions. Each check returns a reason a person can act on, or null; the parse functions also
// return the value in the form the database keeps. Excel's habit of turning long codes into numbers
// (4.20106E+14: digits lost) and of dropping leading zeros ('0309' → 309) is recognised and named.
import { DEFECT_CODES, DEFECT_CODE_INDEX, type DefectCode, type Grade } from '../../domain/cjj181/tables.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (reason: string): Parsed<never> => ({ ok: false, reason });
const reasonOf = (p: Parsed<unknown>): string | null => (p.ok ? null : p.reason);

/** Full-width digits and letters (１２Ａ) as ASCII, spaces trimmed. */
function ascii(v: unknown): string {
  return String(v ?? '').normalize('NFKC').trim();
}

/** The text a cell gave, with the Excel number forms a code column suffers read back where that is exact. */
function codeText(v: unknown, digits: number): Parsed<string> {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) return fail(excelLost(String(v), digits));
    return ok(String(v));
  }
  const s = ascii(v).replace(/\s+/g, '');
  if (/^\d+(\.\d+)?e\+?\d+$/i.test(s)) return fail(excelLost(s, digits));
  // A number cell read as text by some readers: "420106001001001.0".
  return ok(s.replace(/^(\d+)\.0+$/, '$1'));
}

function excelLost(s: string, digits: number): string {
  return `${s} is a number Excel rounded (a ${digits}-digit code keeps only 15 significant digits as a number): format the column as text (文本) in Excel and export again`;
}

// ---------------------------------------------------------------------------------------------------
// Unit grid codes

export interface UnitGridCode {
  code: string;
  county: string;
  street: string;
  community: string;
  grid: string;
}

/**
 * A unit grid code: 15 digits, the 6-digit county code (`county`, e.g. 420106), then 3 each for the street,
 * the community and the grid, none of them 000.
 */
export function parseUnitGridCode(v: unknown, county: string): Parsed<UnitGridCode> {
  const t = codeText(v, 15);
  if (!t.ok) return t;
  const s = t.value;
  if (!s) return fail('the grid code is empty');
  if (!/^\d+$/.test(s)) return fail(`grid code ${JSON.stringify(s.slice(0, 30))} has characters other than digits; a unit grid code is 15 digits`);
  if (s.length !== 15) {
    const hint = s.length === 14 && `0${s}`.startsWith(county) ? ' (a leading 0 lost?)' : s.length === 12 ? ' (that is a community code: 6 + 3 + 3)' : '';
    return fail(`grid code ${s} has ${s.length} digits; a unit grid code has 15 (county ${county} + street 3 + community 3 + grid 3)${hint}`);
  }
  const parts = { code: s, county: s.slice(0, 6), street: s.slice(6, 9), community: s.slice(9, 12), grid: s.slice(12) };
  if (parts.county !== county) return fail(`grid code ${s} is not in county ${county} (it starts ${parts.county})`);
  for (const [k, zh] of [['street', '街道'], ['community', '社区'], ['grid', '网格']] as const) {
    if (parts[k] === '000') return fail(`grid code ${s} has ${k} (${zh}) number 000; they start at 001`);
  }
  return ok(parts);
}

export function checkUnitGridCode(v: unknown, county: string): string | null {
  return reasonOf(parseUnitGridCode(v, county));
}

// ---------------------------------------------------------------------------------------------------
// GB/T 28181 device codes

export interface DeviceType {
  code: string;
  zh: string;
  en: string;
  /** Front-end equipment (111–199), a platform device (200–299), or a user (300–499). */
  group: 'frontend-main' | 'frontend-peripheral' | 'platform' | 'user';
}

// GB/T 28181-2016 Appendix D, table D.2 (类型编码).
export const DEVICE_TYPES: readonly DeviceType[] = [
  { code: '111', zh: 'DVR', en: 'DVR', group: 'frontend-main' },
  { code: '112', zh: '视频服务器', en: 'video server', group: 'frontend-main' },
  { code: '113', zh: '编码器', en: 'encoder', group: 'frontend-main' },
  { code: '114', zh: '解码器', en: 'decoder', group: 'frontend-main' },
  { code: '115', zh: '视频切换矩阵', en: 'video switching matrix', group: 'frontend-main' },
  { code: '116', zh: '音频切换矩阵', en: 'audio switching matrix', group: 'frontend-main' },
  { code: '117', zh: '报警控制器', en: 'alarm controller', group: 'frontend-main' },
  { code: '118', zh: '网络视频录像机（NVR）', en: 'NVR', group: 'frontend-main' },
  { code: '131', zh: '摄像机', en: 'camera', group: 'frontend-peripheral' },
  { code: '132', zh: '网络摄像机（IPC）', en: 'network camera (IPC)', group: 'frontend-peripheral' },
  { code: '133', zh: '显示器', en: 'display', group: 'frontend-peripheral' },
  { code: '134', zh: '报警输入设备', en: 'alarm input device', group: 'frontend-peripheral' },
  { code: '135', zh: '报警输出设备', en: 'alarm output device', group: 'frontend-peripheral' },
  { code: '136', zh: '语音输入设备', en: 'audio input device', group: 'frontend-peripheral' },
  { code: '137', zh: '语音输出设备', en: 'audio output device', group: 'frontend-peripheral' },
  { code: '138', zh: '移动传输设备', en: 'mobile transmission device', group: 'frontend-peripheral' },
  { code: '200', zh: '中心信令控制服务器', en: 'central signalling server', group: 'platform' },
  { code: '201', zh: 'Web 应用服务器', en: 'web application server', group: 'platform' },
  { code: '202', zh: '媒体分发服务器', en: 'media distribution server', group: 'platform' },
  { code: '203', zh: '代理服务器', en: 'proxy server', group: 'platform' },
  { code: '204', zh: '安全服务器', en: 'security server', group: 'platform' },
  { code: '205', zh: '报警服务器', en: 'alarm server', group: 'platform' },
  { code: '206', zh: '数据库服务器', en: 'database server', group: 'platform' },
  { code: '207', zh: 'GIS 服务器', en: 'GIS server', group: 'platform' },
  { code: '208', zh: '管理服务器', en: 'management server', group: 'platform' },
  { code: '209', zh: '接入网关', en: 'access gateway', group: 'platform' },
  { code: '210', zh: '媒体存储服务器', en: 'media storage server', group: 'platform' },
  { code: '211', zh: '信令安全路由网关', en: 'signalling security gateway', group: 'platform' },
  { code: '215', zh: '业务分组', en: 'business group', group: 'platform' },
  { code: '216', zh: '虚拟组织', en: 'virtual organisation', group: 'platform' },
  { code: '300', zh: '中心用户', en: 'central user', group: 'user' },
  { code: '400', zh: '终端用户', en: 'terminal user', group: 'user' },
];
const DEVICE_TYPE_INDEX: ReadonlyMap<string, DeviceType> = new Map(DEVICE_TYPES.map((t) => [t.code, t]));
/** Types a camera row's code may have: cameras and network cameras. */
export const CAMERA_TYPES = ['131', '132'] as const;

export interface DeviceCode {
  code: string;
  /** Centre code: 6-digit administrative division + 2-digit grassroots unit. */
  centre: string;
  industry: string;
  type: DeviceType;
  /** Network (0–4 video surveillance network, 5 public security, 6 e-government, 7 Internet, 8 social resources). */
  network: string;
  serial: string;
}

/**
 * A GB/T 28181 code: 20 digits = centre 8 + industry 2 + type 3 + network 1 + serial 6, the type one of
 * table D.2. With `expect: 'camera'` the type must be 131 or 132 (a recorder's or platform's code is not a
 * camera's); with `county` the centre code must lie in that county.
 */
export function parseDeviceCode(v: unknown, opts: { expect?: 'camera'; county?: string } = {}): Parsed<DeviceCode> {
  const t = codeText(v, 20);
  if (!t.ok) return t;
  const s = t.value;
  if (!s) return fail('the device code is empty');
  if (!/^\d+$/.test(s)) return fail(`device code ${JSON.stringify(s.slice(0, 30))} has characters other than digits; a GB/T 28181 code is 20 digits`);
  if (s.length !== 20) return fail(`device code ${s} has ${s.length} digits; a GB/T 28181 code has 20 (centre 8 + industry 2 + type 3 + network 1 + serial 6)`);
  const type = DEVICE_TYPE_INDEX.get(s.slice(10, 13));
  if (!type) return fail(`device code ${s} has type ${s.slice(10, 13)} (digits 11–13), which GB/T 28181 does not define (131 camera, 132 network camera, 111 DVR, 118 NVR…)`);
  if (s[13] === '9') return fail(`device code ${s} has network digit 9 (digit 14), which GB/T 28181 reserves`);
  if (opts.expect === 'camera' && !(CAMERA_TYPES as readonly string[]).includes(type.code)) {
    return fail(`device code ${s} is of type ${type.code} (${type.zh}), not a camera (131 摄像机 or 132 网络摄像机): give the camera's channel code`);
  }
  if (opts.county && !s.startsWith(opts.county)) return fail(`device code ${s} has centre code ${s.slice(0, 8)}, not in county ${opts.county}`);
  return ok({ code: s, centre: s.slice(0, 8), industry: s.slice(8, 10), type, network: s[13], serial: s.slice(14) });
}

export function checkDeviceCode(v: unknown, opts: { expect?: 'camera'; county?: string } = {}): string | null {
  return reasonOf(parseDeviceCode(v, opts));
}

// ---------------------------------------------------------------------------------------------------
// CJJ 181 defect codes, grades

/** Chinese names without punctuation (残墙、坝根 is also written 残墙坝根, 残墙/坝根). */
const plainName = (s: string) => s.normalize('NFKC').replace(/[\s、，,/／·.\-—_（）()]/g, '');
const BY_NAME: ReadonlyMap<string, DefectCode> = new Map(DEFECT_CODES.map((d) => [plainName(d.name_zh), d]));
const BY_NAME_EN: ReadonlyMap<string, DefectCode> = new Map(DEFECT_CODES.map((d) => [d.name_en.toLowerCase().replace(/[^a-z]/g, ''), d]));

/**
 * A CJJ 181-2012 defect by its code (PL, pl, ＰＬ), its Chinese name (破裂, 残墙坝根), its English name, or
 * both ("PL 破裂", "破裂(PL)"), which must then agree.
 */
export function parseDefectCode(v: unknown): Parsed<DefectCode> {
  const s = ascii(v);
  if (!s) return fail('the defect code is empty');
  const pair = /(?<![A-Za-z])[A-Za-z]{2}(?![A-Za-z])/g;
  const byCode = (s.match(pair) ?? []).map((l) => DEFECT_CODE_INDEX.get(l.toUpperCase())).find((d) => d);
  const rest = plainName(s.replace(pair, ''));
  const byName = rest ? BY_NAME.get(rest) ?? BY_NAME_EN.get(s.toLowerCase().replace(/[^a-z]/g, '')) : undefined;
  if (byCode && byName && byCode !== byName) return fail(`defect ${JSON.stringify(s)}: code ${byCode.code} is ${byCode.name_zh} but the name says ${byName.name_zh} (${byName.code})`);
  const d = byCode ?? byName;
  if (d) return ok(d);
  const known = DEFECT_CODES.map((c) => `${c.code} ${c.name_zh}`).join(', ');
  return fail(`defect ${JSON.stringify(s.slice(0, 30))} is not a CJJ 181-2012 defect code or name (${known})`);
}

export function checkDefectCode(v: unknown): string | null {
  return reasonOf(parseDefectCode(v));
}

const ROMAN: Record<string, Grade> = { I: 1, II: 2, III: 3, IV: 4, Ⅰ: 1, Ⅱ: 2, Ⅲ: 3, Ⅳ: 4 };
const CHINESE: Record<string, Grade> = { 一: 1, 二: 2, 三: 3, 四: 4 };

/** A defect grade 1–4 as ledgers write it: 1, "2", "3级", Ⅲ, "Ⅳ级", III, "二级", "1.0". */
export function parseGrade(v: unknown): Parsed<Grade> {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 1 && v <= 4 ? ok(v as Grade) : fail(`grade ${v} is not 1–4`);
  // NFKC would turn Ⅲ into III: both are read.
  const s = ascii(v).toUpperCase().replace(/\s+/g, '').replace(/^(等级|级别)[:：]?/, '').replace(/级$/, '');
  if (!s) return fail('the grade is empty');
  const n = /^\d+(\.0+)?$/.test(s) ? Number(s) : ROMAN[s] ?? CHINESE[s];
  if (n !== undefined && n >= 1 && n <= 4) return ok(n as Grade);
  return fail(`grade ${JSON.stringify(String(v).slice(0, 20))} is not 1–4 (also read: Ⅰ–Ⅳ, I–IV, 一级–四级)`);
}

export function checkGrade(v: unknown): string | null {
  return reasonOf(parseGrade(v));
}

/** A grade the defect has (腐蚀 FS has no grade 4, 接口材料脱落 TL only 1–2). */
export function checkDefectGrade(defect: DefectCode, grade: Grade): string | null {
  if (defect.scores[grade - 1] !== null) return null;
  const defined = defect.scores.flatMap((s, g) => (s === null ? [] : [g + 1])).join(', ');
  return `${defect.code} ${defect.name_zh} has no grade ${grade} in CJJ 181-2012 (its grades: ${defined})`;
}

// ---------------------------------------------------------------------------------------------------
// Clock positions

export interface ClockPosition {
  from: number;
  to: number;
}

/**
 * A clock position (时钟表示) as inspection reports write it: four digits, from-hour then to-hour ('0309':
 * from 3 to 9 o'clock), each 01–12; a single hour ('03', '3'); '3-9', '03~09'. Three digits are four with
 * the leading zero Excel dropped (309 → 0309).
 */
export function parseClock(v: unknown): Parsed<ClockPosition> {
  const raw = typeof v === 'number' ? String(v) : ascii(v).replace(/点|时|o'?clock/gi, '');
  const s = raw.replace(/\s+/g, '');
  if (!s) return fail('the clock position is empty');
  let m = /^(\d{1,2})[-~～至到](\d{1,2})$/.exec(s);
  let from: number;
  let to: number;
  if (m) { from = Number(m[1]); to = Number(m[2]); }
  else if ((m = /^(\d{3,4})$/.exec(s))) { const p = m[1].padStart(4, '0'); from = Number(p.slice(0, 2)); to = Number(p.slice(2)); }
  else if ((m = /^(\d{1,2})$/.exec(s))) { from = to = Number(m[1]); }
  else return fail(`clock position ${JSON.stringify(s.slice(0, 20))} is not understood; write four digits, from-hour then to-hour (0309 = from 3 to 9 o'clock)`);
  const bad = [from, to].find((h) => h < 1 || h > 12);
  if (bad !== undefined) return fail(`clock position ${JSON.stringify(s)} has hour ${bad}; hours are 1–12 (0309 = from 3 to 9 o'clock)`);
  return ok({ from, to });
}

export function checkClock(v: unknown): string | null {
  return reasonOf(parseClock(v));
}
