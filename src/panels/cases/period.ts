// Periods as the KPI and list filters take them: calendar days in the browser's time zone, `to` exclusive.

export interface Period {
  /** yyyy-mm-dd, inclusive. */
  from: string;
  /** yyyy-mm-dd, inclusive (the query sends the next day's midnight as the exclusive end). */
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
export const dayString = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** Local midnight at the start of a day, as an ISO instant. */
export const startOf = (day: string) => new Date(`${day}T00:00:00`).toISOString();

/** Local midnight after the day: the exclusive end of a period. */
export function endOf(day: string): string {
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + 1);
  return d.toISOString();
}

export type PresetId = 'last30' | 'thisMonth' | 'lastMonth' | 'thisYear';
export const PRESETS: readonly PresetId[] = ['last30', 'thisMonth', 'lastMonth', 'thisYear'];

export function preset(id: PresetId, now = new Date()): Period {
  const y = now.getFullYear();
  const m = now.getMonth();
  switch (id) {
    case 'last30': {
      const from = new Date(now);
      from.setDate(from.getDate() - 29);
      return { from: dayString(from), to: dayString(now) };
    }
    case 'thisMonth':
      return { from: dayString(new Date(y, m, 1)), to: dayString(now) };
    case 'lastMonth':
      return { from: dayString(new Date(y, m - 1, 1)), to: dayString(new Date(y, m, 0)) };
    case 'thisYear':
      return { from: dayString(new Date(y, 0, 1)), to: dayString(now) };
  }
}

export const validPeriod = (p: Partial<Period>): p is Period => !!p.from && !!p.to && p.from <= p.to;
