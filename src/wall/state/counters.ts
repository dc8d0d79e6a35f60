// The wall's case figures: the last summary read plus what case events changed since, so that a new case
// moves the counters at once instead of at the next read (every 30 s, cached 5 s on the server). A delta
// is dropped once a summary computed after it arrives, since that summary already counts it.
import type { WallSummary } from '../../api/wall.ts';
import type { CaseEvent } from '../../api/live.ts';

export interface CaseDelta {
  /** Estimated server time (ms) the change happened. */
  at: number;
  today: number;
  open: number;
  closed: number;
  onTime: number;
  overdue: number;
  hour: string;
}

export interface Counters {
  summary: WallSummary | null;
  deltas: readonly CaseDelta[];
  /** `id:status` of the case events counted, so that a repeated event is not counted twice (bounded). */
  seen: readonly string[];
}

export interface CaseFigures {
  casesToday: number;
  closedToday: number;
  closedOnTimeToday: number;
  onTimeRate: number | null;
  casesOpen: number;
  casesOverdue: number;
  /** The last 24 local hours, oldest first, the current hour last. */
  trend: { hour: string; reported: number }[];
}

const MAX_SEEN = 2000;
const MAX_DELTAS = 2000;
const SHANGHAI_OFFSET_MS = 8 * 3600_000; // Asia/Shanghai has no daylight saving time

/** 'YYYY-MM-DDTHH' of a time in Asia/Shanghai, the format of the summary's trend. */
export function localHour(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 13);
}

export const emptyCounters = (): Counters => ({ summary: null, deltas: [], seen: [] });

export function applySummary(c: Counters, s: WallSummary): Counters {
  const at = Date.parse(s.at);
  return { ...c, summary: s, deltas: Number.isFinite(at) ? c.deltas.filter((d) => d.at > at) : [] };
}

/** One case event at server time `now` (ms). Only a report, a closing or a rejection moves the figures. */
export function applyCaseEvent(c: Counters, e: CaseEvent, now: number): Counters {
  const key = `${e.id}:${e.status}`;
  if (c.seen.includes(key)) return c;
  const deadline = e.deadline_at ? Date.parse(e.deadline_at) : NaN;
  const d: CaseDelta = { at: now, today: 0, open: 0, closed: 0, onTime: 0, overdue: 0, hour: localHour(now) };
  if (e.status === 'reported') {
    d.today = 1;
    d.open = 1;
  } else if (e.status === 'closed' || e.status === 'rejected') {
    d.open = -1;
    if (Number.isFinite(deadline) && deadline < now) d.overdue = -1;
    if (e.status === 'closed') {
      d.closed = 1;
      d.onTime = Number.isFinite(deadline) && now <= deadline ? 1 : 0;
    }
  } else {
    return c;
  }
  const seen = [...c.seen, key];
  return {
    ...c,
    deltas: [...c.deltas, d].slice(-MAX_DELTAS),
    seen: seen.length > MAX_SEEN ? seen.slice(-MAX_SEEN) : seen,
  };
}

export function caseFigures(c: Counters, now: number): CaseFigures | null {
  const s = c.summary;
  if (!s) return null;
  const sum = (f: (d: CaseDelta) => number) => c.deltas.reduce((n, d) => n + f(d), 0);
  // A delta from before today's midnight (local) does not count towards today's figures.
  const today = localHour(now).slice(0, 10);
  const todays = (f: (d: CaseDelta) => number) => sum((d) => (d.hour.startsWith(today) ? f(d) : 0));
  const closedToday = s.closed_today + todays((d) => d.closed);
  const closedOnTime = s.closed_on_time_today + todays((d) => d.onTime);
  const byHour = new Map<string, number>();
  for (const t of s.trend) byHour.set(t.hour, t.reported);
  for (const d of c.deltas) if (d.today) byHour.set(d.hour, (byHour.get(d.hour) ?? 0) + d.today);
  const trend: CaseFigures['trend'] = [];
  for (let i = 23; i >= 0; i--) {
    const hour = localHour(now - i * 3600_000);
    trend.push({ hour, reported: byHour.get(hour) ?? 0 });
  }
  return {
    casesToday: s.cases_today + todays((d) => d.today),
    closedToday,
    closedOnTimeToday: closedOnTime,
    onTimeRate: closedToday ? closedOnTime / closedToday : null,
    casesOpen: Math.max(0, s.cases_open + sum((d) => d.open)),
    casesOverdue: Math.max(0, s.cases_overdue + sum((d) => d.overdue)),
    trend,
  };
}

/**
 * The server's clock relative to ours, from the summaries' `at`: the largest difference seen is the freshest
 * answer (a cached one is older), so it is the best estimate. Kept over the last few reads only, so drift heals.
 */
export class ServerClock {
  private samples: number[] = [];
  observe(serverIso: string, receivedAt = Date.now()): void {
    const at = Date.parse(serverIso);
    if (!Number.isFinite(at)) return;
    this.samples.push(at - receivedAt);
    if (this.samples.length > 10) this.samples.shift();
  }
  now(local = Date.now()): number {
    return local + (this.samples.length ? Math.max(...this.samples) : 0);
  }
}
