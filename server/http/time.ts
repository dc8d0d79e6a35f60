// RFC 3339 instants and dates, checked here so that PostgreSQL never sees a malformed one (it would
// answer with an error that becomes a 500 instead of a 400).

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;
/** PostgreSQL's widest UTC offset is ±15:59:59 ("time zone displacement out of range" beyond); real ones stay within −12 … +14. */
const MAX_OFFSET_HOURS = 15;

export type Instant = { kind: 'date' | 'date-time'; text: string };

/** A calendar date PostgreSQL can hold: it has no year 0 (1 BC precedes AD 1). */
function realDate(y: number, m: number, d: number): boolean {
  if (y < 1) return false;
  const dt = new Date(0);
  dt.setUTCFullYear(y, m - 1, d); // not Date.UTC, which reads years 0–99 as 1900–1999
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** A date (YYYY-MM-DD) or an RFC 3339 date-time with its offset (within ±15:59); null when it is neither. */
export function parseInstant(s: string): Instant | null {
  const d = DATE.exec(s);
  if (d) return realDate(+d[1], +d[2], +d[3]) ? { kind: 'date', text: s } : null;
  const t = DATE_TIME.exec(s);
  if (!t) return null;
  if (!realDate(+t[1], +t[2], +t[3]) || +t[4] > 23 || +t[5] > 59 || +t[6] > 60) return null;
  if (t[8] !== undefined && (+t[8] > MAX_OFFSET_HOURS || +t[9] > 59)) return null;
  return { kind: 'date-time', text: s.replace(' ', 'T') };
}

/** The day after a YYYY-MM-DD date. */
export function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
