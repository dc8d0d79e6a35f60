// The alarm list as React state with a ref beside it, so that live handlers apply events to the latest list
// synchronously (and know at once whether an alarm is new) without side effects inside state updaters.
// Also: cleared alarms leave after their fade, and alarms that arrived by event get their datastream's unit
// and threshold from the sensor's details (the event does not carry them).
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/endpoints.ts';
import type { AlarmEvent, ObservationEvent } from '../../api/live.ts';
import type { AlarmRow } from '../../api/wall.ts';
import type { SensorRelated } from '../../api/types.ts';
import {
  alarmsFromRows, applyAlarmEvent, applyObservation, CLEARED_FADE_MS, describeStream, dropFaded,
  type AlarmChange, type AlarmList, type WallAlarm,
} from '../state/alarms.ts';

const MAX_DESCRIBED = 2000;

export interface AlarmListApi {
  list: AlarmList;
  /** Replaces the list with a fresh read (start, reset, periodic check). */
  load(rows: readonly AlarmRow[]): void;
  event(e: AlarmEvent): { change: AlarmChange; alarm: WallAlarm | undefined };
  observation(o: ObservationEvent): void;
}

export function useAlarmList(): AlarmListApi {
  const [list, setList] = useState<AlarmList>(() => new Map());
  const ref = useRef<AlarmList>(list);
  const described = useRef(new Map<number, { quantity: string; unit: string; alarm_level: number | null }>());
  const asking = useRef(new Set<number>());

  const commit = useCallback((next: AlarmList) => {
    if (next === ref.current) return;
    ref.current = next;
    setList(next);
  }, []);

  const describe = useCallback((a: WallAlarm) => {
    // A facility's alarm comes described (its level in metres, or its fault).
    const { datastreamId: ds, stationId } = a;
    if (ds === null || stationId === null) return;
    const known = described.current.get(ds);
    if (known) {
      commit(describeStream(ref.current, ds, known));
      return;
    }
    if (asking.current.has(ds)) return;
    asking.current.add(ds);
    api.details('sensors', stationId)
      .then((d) => {
        const s = (d.related as SensorRelated).datastreams?.find((x) => x.id === ds);
        if (!s) return;
        const info = { quantity: s.quantity, unit: s.unit, alarm_level: s.alarm_level };
        if (described.current.size >= MAX_DESCRIBED) described.current.clear();
        described.current.set(ds, info);
        commit(describeStream(ref.current, ds, info));
      })
      .catch(() => { /* the alarm shows without its unit; the next periodic read of the list brings it */ })
      .finally(() => asking.current.delete(ds));
  }, [commit]);

  const load = useCallback((rows: readonly AlarmRow[]) => {
    const next = alarmsFromRows(rows);
    // Alarms still fading keep their fade; everything else is as the server says.
    for (const a of ref.current.values()) if (a.clearedAt !== null && !next.has(a.id)) next.set(a.id, a);
    for (const r of rows) if (r.datastream_id !== null) described.current.set(r.datastream_id, { quantity: r.quantity, unit: r.unit, alarm_level: r.alarm_level });
    commit(next);
  }, [commit]);

  const event = useCallback((e: AlarmEvent) => {
    const { list: next, change } = applyAlarmEvent(ref.current, e, Date.now());
    commit(next);
    const alarm = next.get(String(e.id));
    if (alarm && alarm.unit === null && (change === 'new' || change === 'escalated')) describe(alarm);
    return { change, alarm };
  }, [commit, describe]);

  const observation = useCallback((o: ObservationEvent) => commit(applyObservation(ref.current, o)), [commit]);

  // Cleared alarms leave once faded: one timer, for the next one due.
  useEffect(() => {
    let due = Infinity;
    for (const a of list.values()) if (a.clearedAt !== null) due = Math.min(due, a.clearedAt + CLEARED_FADE_MS);
    if (!Number.isFinite(due)) return;
    const timer = setTimeout(() => commit(dropFaded(ref.current, Date.now())), Math.max(0, due - Date.now()) + 20);
    return () => clearTimeout(timer);
  }, [list, commit]);

  return { list, load, event, observation };
}
