// Which alarms a facility's state raises, and how its alarms in effect follow a new state: pure, no I/O.
// A water level past 警戒水位 is a warning, past 保证水位 an alarm (the band itself is facility_state.level_state,
// stated in its migration); a pump or gate fault is an alarm. A level alarm follows the level (up to alarm,
// back to warning, its peak) and clears when the level is back below 警戒; a fault clears when it is reported gone.
import type { AlarmLevel } from '../../common/api/live.ts';
import type { FACILITY_ALARM_CAUSES, FACILITY_LEVEL_STATES } from '../../common/enums.ts';
import type { FacilityState } from './facility-state.ts';

export type FacilityAlarmCause = (typeof FACILITY_ALARM_CAUSES)[number];

/** A facility's state as the alarm rule reads it: its fields and the level band the database gave it. */
export type AlarmingState = Pick<FacilityState, 'water_level_m' | 'pump_status' | 'gate_status'> & { level_state: (typeof FACILITY_LEVEL_STATES)[number] | null };

/** An alarm the state calls for: its cause, level and the reading behind it (none for a fault). */
export interface WantedAlarm { cause: FacilityAlarmCause; level: AlarmLevel; value: number | null }

/** An alarm of the facility in effect (not cleared). */
export interface ActiveFacilityAlarm { id: string; cause: FacilityAlarmCause; level: AlarmLevel; peak_value: number | null }

export interface FacilityAlarmChanges {
  raise: WantedAlarm[];
  /** Alarms in effect whose level or peak moves. */
  update: { id: string; level: AlarmLevel; peak_value: number | null }[];
  /** Alarms whose cause is gone, with the reading that cleared them. */
  clear: { id: string; value: number | null }[];
}

export function wantedAlarms(s: AlarmingState): WantedAlarm[] {
  const out: WantedAlarm[] = [];
  if (s.level_state === 'warning' || s.level_state === 'guarantee') {
    out.push({ cause: 'level', level: s.level_state === 'guarantee' ? 'alarm' : 'warning', value: s.water_level_m });
  }
  if (s.pump_status === 'fault') out.push({ cause: 'pump_fault', level: 'alarm', value: null });
  if (s.gate_status === 'fault') out.push({ cause: 'gate_fault', level: 'alarm', value: null });
  return out;
}

const higher = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** What to raise, update and clear so that the alarms in effect are those the state calls for, one per cause. */
export function followState(active: readonly ActiveFacilityAlarm[], s: AlarmingState): FacilityAlarmChanges {
  const wanted = wantedAlarms(s);
  const changes: FacilityAlarmChanges = { raise: [], update: [], clear: [] };
  for (const w of wanted) {
    const a = active.find((x) => x.cause === w.cause);
    if (!a) { changes.raise.push(w); continue; }
    const peak = higher(a.peak_value, w.value);
    if (a.level !== w.level || peak !== a.peak_value) changes.update.push({ id: a.id, level: w.level, peak_value: peak });
  }
  for (const a of active) {
    if (!wanted.some((w) => w.cause === a.cause)) changes.clear.push({ id: a.id, value: a.cause === 'level' ? s.water_level_m : null });
  }
  return changes;
}
