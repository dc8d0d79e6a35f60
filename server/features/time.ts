// RFC 3339 instants and dates, checked here so that PostgreSQL never sees a malformed one (it would
// answer with an error that becomes a 500 instead of a 400).

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

export type Instant = { kind: 'date' | 'date-time'; text: string };

function realDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** A date (YYYY-MM-DD) or an RFC 3339 date-time with its offset; null when it is neither. */
export function parseInstant(s: string): Instant | null {
  const d = DATE.exec(s);
  if (d) return realDate(+d[1], +d[2], +d[3]) ? { kind: 'date', text: s } : null;
  const t = DATE_TIME.exec(s);
  if (!t) return null;
  if (!realDate(+t[1], +t[2], +t[3]) || +t[4] > 23 || +t[5] > 59 || +t[6] > 60) return null;
  return { kind: 'date-time', text: s.replace(' ', 'T') };
}

/** The day after a YYYY-MM-DD date. */
export function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
