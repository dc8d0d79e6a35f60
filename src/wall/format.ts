// Times on the wall are Beijing time whatever the display computer's zone is set to (walls are often
// installed with UTC images); numbers go through the i18n formatter.
import { isoDate } from '../panels/format.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${JSON.stringify(opts)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', hour12: false, ...opts })));
  return f;
}

export function shanghaiTime(t: number | string | Date, lang: string, seconds = true): string {
  const d = t instanceof Date ? t : new Date(t);
  if (Number.isNaN(d.getTime())) return '—';
  return formatter(lang, { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}) }).format(d);
}

/** The day as everywhere else in the app (ISO, src/panels/format.ts) with its weekday in the UI language. */
export function shanghaiDate(t: number | Date, lang: string): string {
  return `${isoDate(t, false)} ${formatter(lang, { weekday: 'short' }).format(t)}`;
}

/** A rate 0–1 as a percentage with one decimal, or the "no value" dash. */
export function percent(rate: number | null | undefined, num: (n: number, d?: number) => string, dash = '—'): string {
  return rate === null || rate === undefined || !Number.isFinite(rate) ? dash : `${num(rate * 100, 1)}%`;
}
