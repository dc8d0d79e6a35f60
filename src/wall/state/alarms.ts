// The wall's alarm list as pure functions: the starting list from GET /api/alarms, then alarm events
// (raised, escalated, peak moved, handled, cleared) and readings applied to it. A cleared alarm stays for a short
// fade ("已解除") and then leaves. The list is bounded, so a storm of alarms cannot grow memory.
import type { AlarmRow } from '../../api/wall.ts';
import type { AlarmEvent, ObservationEvent } from '../../api/live.ts';
import type { AlarmHandling, AlarmUnitLevel } from '../../api/alarms.ts';

export interface WallAlarm {
  id: string;
  level: 'warning' | 'alarm';
  /** A sensor's alarm: its station and datastream; a facility's: the facility (and none of those). */
  stationId: number | null;
  datastreamId: number | null;
  facilityId: number | null;
  station: string;
  kind: string;
  quantity: string | null;
  unit: string | null;
  alarmLevel: number | null;
  /** The latest reading of the datastream (the raised value until a reading arrives); none for a fault. */
  value: number | null;
  peak: number | null;
  raisedAt: string;
  lon: number;
  lat: number;
  caseId: string | null;
  /** Client time (ms) when the clearing arrived; the item fades out from then. */
  clearedAt: number | null;
  /** Its handling (server/domain/alarm-handling.ts): state, the unit handling it, 督办. */
  handling: AlarmHandling;
  unitLevel: AlarmUnitLevel;
  unitCode: string | null;
  supervised: boolean;
}

export type AlarmList = ReadonlyMap<string, WallAlarm>;

export const MAX_ALARMS = 500;
export const CLEARED_FADE_MS = 6000;

export function alarmsFromRows(rows: readonly AlarmRow[]): Map<string, WallAlarm> {
  const out = new Map<string, WallAlarm>();
  for (const r of rows) {
    if (r.state !== 'active' || out.size >= MAX_ALARMS) continue;
    out.set(String(r.id), {
      id: String(r.id),
      level: r.level,
      stationId: r.station_id,
      datastreamId: r.datastream_id,
      facilityId: r.facility_id,
      station: r.station,
      kind: r.kind,
      quantity: r.quantity ?? null,
      unit: r.unit ?? null,
      alarmLevel: r.alarm_level ?? null,
      value: r.last_value ?? r.raised_value,
      peak: r.peak_value,
      raisedAt: r.raised_at,
      lon: r.lon,
      lat: r.lat,
      caseId: r.case_id === null ? null : String(r.case_id),
      clearedAt: null,
      handling: r.handling,
      unitLevel: r.unit_level,
      unitCode: r.unit_code,
      supervised: r.supervised,
    });
  }
  return out;
}

export type AlarmChange = 'new' | 'escalated' | 'updated' | 'cleared' | 'ignored';

/**
 * One alarm event applied. 'new' and 'escalated' (warning → alarm) are what the wall flies to; a peak
 * or case update of a known alarm is 'updated'.
 */
export function applyAlarmEvent(list: AlarmList, e: AlarmEvent, now: number): { list: AlarmList; change: AlarmChange } {
  const id = String(e.id);
  const prev = list.get(id);
  if (e.state === 'cleared') {
    if (!prev || prev.clearedAt !== null) return { list, change: 'ignored' };
    const next = new Map(list);
    next.set(id, { ...prev, ...handlingOf(e), value: e.value, clearedAt: now });
    return { list: next, change: 'cleared' };
  }
  const item: WallAlarm = {
    id,
    level: e.level,
    stationId: e.station_id,
    datastreamId: e.datastream_id,
    facilityId: e.facility_id ?? null,
    station: e.station,
    kind: e.kind,
    quantity: prev?.quantity ?? facilityQuantity(e),
    unit: prev?.unit ?? facilityUnit(e),
    alarmLevel: prev?.alarmLevel ?? null,
    // An update of a known alarm (its peak moved) keeps the latest reading; a new one starts at its value.
    value: prev ? prev.value : e.value,
    peak: e.peak,
    raisedAt: e.raised_at,
    lon: e.lon,
    lat: e.lat,
    caseId: e.case_id === null || e.case_id === undefined ? null : String(e.case_id),
    clearedAt: null,
    ...handlingOf(e),
  };
  const change: AlarmChange = !prev || prev.clearedAt !== null ? 'new' : prev.level === 'warning' && e.level === 'alarm' ? 'escalated' : 'updated';
  const next = new Map(list);
  next.delete(id); // re-inserted last: the map's order is arrival order, used to drop the oldest first
  next.set(id, item);
  return { list: bound(next), change };
}

// A facility's alarm measures its water level, or is a fault (its cause), as GET /api/alarms names them.
const facilityQuantity = (e: AlarmEvent) => (!e.cause ? null : e.cause === 'level' ? 'water_level' : e.cause);
const facilityUnit = (e: AlarmEvent) => (!e.cause ? null : e.cause === 'level' ? 'm' : '');

const handlingOf = (e: AlarmEvent) => ({ handling: e.handling, unitLevel: e.unit_level, unitCode: e.unit_code, supervised: e.supervised });

/** A reading moves the value shown on its datastream's alarm. */
export function applyObservation(list: AlarmList, o: ObservationEvent): AlarmList {
  let next: Map<string, WallAlarm> | null = null;
  for (const a of list.values()) {
    if (a.datastreamId !== o.datastream_id || a.clearedAt !== null) continue;
    next ??= new Map(list);
    next.set(a.id, { ...a, value: o.value, quantity: a.quantity ?? o.quantity });
  }
  return next ?? list;
}

/** Details learnt later (unit, threshold) for the alarms of a datastream. */
export function describeStream(list: AlarmList, datastreamId: number, d: { quantity: string; unit: string; alarm_level: number | null }): AlarmList {
  let next: Map<string, WallAlarm> | null = null;
  for (const a of list.values()) {
    if (a.datastreamId !== datastreamId) continue;
    next ??= new Map(list);
    next.set(a.id, { ...a, quantity: d.quantity, unit: d.unit, alarmLevel: d.alarm_level });
  }
  return next ?? list;
}

/** Cleared alarms whose fade is over leave the list. */
export function dropFaded(list: AlarmList, now: number, fadeMs = CLEARED_FADE_MS): AlarmList {
  let next: Map<string, WallAlarm> | null = null;
  for (const a of list.values()) {
    if (a.clearedAt !== null && now - a.clearedAt >= fadeMs) {
      next ??= new Map(list);
      next.delete(a.id);
    }
  }
  return next ?? list;
}

function bound(list: Map<string, WallAlarm>): Map<string, WallAlarm> {
  // The oldest cleared ones go first, then the oldest arrivals.
  for (const a of list.values()) {
    if (list.size <= MAX_ALARMS) break;
    if (a.clearedAt !== null) list.delete(a.id);
  }
  for (const id of list.keys()) {
    if (list.size <= MAX_ALARMS) break;
    list.delete(id);
  }
  return list;
}

/** Alarm level first, then the most recently raised (times come as UTC from the list, +08:00 from events). */
export function sortedAlarms(list: AlarmList): WallAlarm[] {
  return [...list.values()].sort((a, b) =>
    (a.level === b.level ? 0 : a.level === 'alarm' ? -1 : 1) || Date.parse(b.raisedAt) - Date.parse(a.raisedAt) || b.id.localeCompare(a.id));
}

export function activeCounts(list: AlarmList): { alarm: number; warning: number } {
  let alarm = 0;
  let warning = 0;
  for (const a of list.values()) {
    if (a.clearedAt !== null) continue;
    if (a.level === 'alarm') alarm++;
    else warning++;
  }
  return { alarm, warning };
}
