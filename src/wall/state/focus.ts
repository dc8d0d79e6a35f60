// Which alarm the wall is showing. A new alarm (or a warning escalated to one) takes the screen for
// ALARM_HOLD_MS after it arrived; a warning, at lower emphasis, for WARNING_HOLD_MS and never from an alarm.
// Alarms arriving together (a storm over one district) are shown together. The playlist waits meanwhile.
import type { AlarmList, WallAlarm } from './alarms.ts';

export interface Focus {
  ids: string[];
  level: 'warning' | 'alarm';
  /** Client times (ms). */
  since: number;
  until: number;
}

export const ALARM_HOLD_MS = 60_000;
export const WARNING_HOLD_MS = 30_000;
/** Alarms this close together are one burst, framed together. */
export const BURST_MS = 3_000;
const MAX_IDS = 50;

export function focusOn(prev: Focus | null, a: WallAlarm, now: number): Focus | null {
  const hold = a.level === 'alarm' ? ALARM_HOLD_MS : WARNING_HOLD_MS;
  const live = prev && now < prev.until ? prev : null;
  if (live && live.level === 'alarm' && a.level === 'warning') return live;
  if (live && live.level === a.level && now - live.since < BURST_MS) {
    const ids = live.ids.includes(a.id) ? live.ids : [...live.ids, a.id].slice(-MAX_IDS);
    return { ...live, ids, until: now + hold };
  }
  return { ids: [a.id], level: a.level, since: now, until: now + hold };
}

/** The focus ends early once every alarm it shows has been cleared. */
export function focusAlive(f: Focus | null, list: AlarmList, now: number): Focus | null {
  if (!f || now >= f.until) return null;
  return f.ids.some((id) => { const a = list.get(id); return a && a.clearedAt === null; }) ? f : null;
}
