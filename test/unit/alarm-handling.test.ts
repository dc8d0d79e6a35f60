// The alarm handling state machine (server/domain/alarm-handling.ts): each action from each state, who may
// act at which level, escalation community → street → district, auto-escalation (督办) past the acknowledge
// time, and the order of the checks (403 role, 409 state, 403 reach, 400 input).
import { describe, expect, it } from 'vitest';
import {
  ackDueAt, applyAlarmAction, autoEscalation, availableAlarmActions, DEFAULT_ACK_MINUTES, isOverdue, reaches,
  type AlarmActor, type AlarmState,
} from '../../server/domain/alarm-handling.ts';
import { ALARM_ACTIONS, ALARM_HANDLING } from '../../common/enums.ts';

const T0 = new Date('2026-07-01T08:00:00Z');
const at = new Date('2026-07-01T08:05:00Z');
const mins = (n: number) => new Date(T0.getTime() + n * 60_000);

const PLACE = { community_code: '420106001001', street_code: '420106001', district_code: '420106' };
const alarm = (o: Partial<AlarmState> = {}): AlarmState => ({
  handling: 'new', unit_level: 'community', unit_code: PLACE.community_code, unit_since: T0, supervised: false, cleared: false, ...PLACE, ...o,
});
const atStreet = (o: Partial<AlarmState> = {}) => alarm({ unit_level: 'street', unit_code: PLACE.street_code, ...o });
const atDistrict = (o: Partial<AlarmState> = {}) => alarm({ unit_level: 'district', unit_code: PLACE.district_code, ...o });

const dispatcher: AlarmActor = { id: 'd1', role: 'dispatcher' };
const commander: AlarmActor = { id: 'c1', role: 'commander' };
const planner: AlarmActor = { id: 'p1', role: 'planner' };
const gridWorker: AlarmActor = { id: 'f1', role: 'field', grids: ['420106001001003'] };
const streetWorker: AlarmActor = { id: 'f2', role: 'field', grids: ['420106001'] };
const otherCommunity: AlarmActor = { id: 'f3', role: 'field', grids: ['420106001002'] };

const err = (fn: () => unknown) => {
  try { fn(); } catch (e) { return (e as { statusCode: number }).statusCode; }
  return 200;
};

describe('alarm handling: the states', () => {
  it('new → acknowledged → assigned → closed, each stamping who and when', () => {
    const ack = applyAlarmAction(alarm(), 'acknowledge', gridWorker, { at });
    expect(ack).toMatchObject({ handling: 'acknowledged', acknowledged_at: at, acknowledged_by: 'f1', unit_level: 'community' });
    const assigned = applyAlarmAction(alarm({ handling: 'acknowledged' }), 'assign', gridWorker, { at, assignee: ' 张三 ' });
    expect(assigned).toMatchObject({ handling: 'assigned', assignee: '张三' });
    expect(applyAlarmAction(alarm({ handling: 'assigned' }), 'assign', dispatcher, { at, assignee: '李四' })).toMatchObject({ handling: 'assigned', assignee: '李四' });
    expect(applyAlarmAction(alarm({ handling: 'assigned' }), 'close', gridWorker, { at, note: '现场已处理' }))
      .toMatchObject({ handling: 'closed', closed_at: at, closed_by: 'f1' });
    expect(applyAlarmAction(alarm({ handling: 'acknowledged' }), 'close', dispatcher, { at, note: '误报' })).toMatchObject({ handling: 'closed' });
  });

  it('409 for an action not possible in the state: closed is final; assign and close need acknowledging first', () => {
    for (const a of ALARM_ACTIONS) expect(err(() => applyAlarmAction(alarm({ handling: 'closed' }), a, dispatcher, { at, note: 'x', assignee: 'x' }))).toBe(409);
    expect(err(() => applyAlarmAction(alarm(), 'assign', dispatcher, { at, assignee: 'x' }))).toBe(409);
    expect(err(() => applyAlarmAction(alarm(), 'close', dispatcher, { at, note: 'x' }))).toBe(409);
    expect(err(() => applyAlarmAction(alarm({ handling: 'acknowledged' }), 'acknowledge', dispatcher, { at }))).toBe(409);
  });

  it('escalate: community → street → district, new again at the unit above, its clock restarted; 409 at the district', () => {
    const toStreet = applyAlarmAction(alarm({ handling: 'assigned' }), 'escalate', gridWorker, { at, note: '需街道协调' });
    expect(toStreet).toMatchObject({ handling: 'new', unit_level: 'street', unit_code: '420106001', unit_since: at, assignee: null, acknowledged_at: null });
    expect(applyAlarmAction(atStreet(), 'escalate', dispatcher, { at, note: '需区级' })).toMatchObject({ unit_level: 'district', unit_code: '420106' });
    expect(err(() => applyAlarmAction(atDistrict(), 'escalate', dispatcher, { at, note: 'x' }))).toBe(409);
    // A place without a street goes on up to the district.
    expect(applyAlarmAction(alarm({ street_code: null }), 'escalate', dispatcher, { at, note: 'x' })).toMatchObject({ unit_level: 'district', unit_code: '420106' });
  });

  it('400 for missing input: escalate and close need a note, assign an assignee', () => {
    expect(err(() => applyAlarmAction(alarm(), 'escalate', dispatcher, { at, note: '  ' }))).toBe(400);
    expect(err(() => applyAlarmAction(alarm({ handling: 'acknowledged' }), 'close', dispatcher, { at }))).toBe(400);
    expect(err(() => applyAlarmAction(alarm({ handling: 'acknowledged' }), 'assign', dispatcher, { at }))).toBe(400);
  });
});

describe('alarm handling: who acts at which level', () => {
  it('the centre everywhere; a commander at the district only and never escalates; a planner never (403)', () => {
    for (const s of [alarm(), atStreet(), atDistrict()]) expect(reaches(dispatcher, s)).toBe(true);
    expect(err(() => applyAlarmAction(alarm(), 'acknowledge', commander, { at }))).toBe(403);
    expect(applyAlarmAction(atDistrict(), 'acknowledge', commander, { at }).handling).toBe('acknowledged');
    expect(err(() => applyAlarmAction(alarm(), 'escalate', commander, { at, note: 'x' }))).toBe(403);
    for (const a of ALARM_ACTIONS) expect(err(() => applyAlarmAction(alarm(), a, planner, { at, note: 'x', assignee: 'x' }))).toBe(403);
  });

  it('a field account where its grids reach: a grid stands for its community, a street entry for the street and below', () => {
    expect(reaches(gridWorker, alarm())).toBe(true);
    expect(reaches(gridWorker, atStreet())).toBe(false); // gone up: no longer the community's
    expect(reaches(streetWorker, alarm())).toBe(true);
    expect(reaches(streetWorker, atStreet())).toBe(true);
    expect(reaches(streetWorker, atDistrict())).toBe(false);
    expect(reaches(otherCommunity, alarm())).toBe(false);
    expect(reaches({ id: 'f4', role: 'field', grids: [] }, alarm())).toBe(false);
    expect(reaches(gridWorker, alarm({ unit_code: null }))).toBe(false);
    expect(err(() => applyAlarmAction(atStreet(), 'acknowledge', gridWorker, { at }))).toBe(403);
  });

  it('checks in order: role (403) before state (409) before reach (403)', () => {
    expect(err(() => applyAlarmAction(alarm({ handling: 'closed' }), 'acknowledge', planner, { at }))).toBe(403);
    expect(err(() => applyAlarmAction(alarm({ handling: 'closed' }), 'acknowledge', otherCommunity, { at }))).toBe(409);
    expect(err(() => applyAlarmAction(alarm(), 'acknowledge', otherCommunity, { at }))).toBe(403);
  });

  it('what each may do now, for the buttons', () => {
    expect(availableAlarmActions(dispatcher, alarm())).toEqual(['acknowledge', 'escalate']);
    expect(availableAlarmActions(dispatcher, alarm({ handling: 'acknowledged' }))).toEqual(['assign', 'escalate', 'close']);
    expect(availableAlarmActions(dispatcher, atDistrict({ handling: 'assigned' }))).toEqual(['assign', 'close']);
    expect(availableAlarmActions(commander, atDistrict())).toEqual(['acknowledge']);
    expect(availableAlarmActions(commander, alarm())).toEqual([]);
    expect(availableAlarmActions(gridWorker, atStreet())).toEqual([]);
    for (const h of ALARM_HANDLING) expect(availableAlarmActions(planner, alarm({ handling: h }))).toEqual([]);
  });
});

describe('alarm handling: auto-escalation (督办)', () => {
  it('a new alarm past its level\'s acknowledge time goes one level up, supervised, its clock restarted', () => {
    expect(ackDueAt(alarm())).toEqual(mins(DEFAULT_ACK_MINUTES.community));
    expect(autoEscalation(alarm(), mins(14))).toBeNull();
    expect(autoEscalation(alarm(), mins(16))).toMatchObject({ unit_level: 'street', unit_code: '420106001', supervised: true, unit_since: mins(16), handling: 'new' });
    // At the street its own (longer) time counts from the escalation.
    const s = atStreet({ unit_since: mins(16), supervised: true });
    expect(isOverdue(s, mins(16 + DEFAULT_ACK_MINUTES.street - 1))).toBe(false);
    expect(autoEscalation(s, mins(16 + DEFAULT_ACK_MINUTES.street + 1))).toMatchObject({ unit_level: 'district', supervised: true });
  });

  it('at the district it is marked supervised where it stands, once', () => {
    expect(autoEscalation(atDistrict(), mins(61))).toEqual({ handling: 'new', unit_level: 'district', unit_code: '420106', supervised: true });
    expect(autoEscalation(atDistrict({ supervised: true }), mins(600))).toBeNull();
  });

  it('not an alarm acknowledged in time, nor one whose readings cleared, nor a closed one', () => {
    for (const h of ['acknowledged', 'assigned', 'closed'] as const) expect(autoEscalation(alarm({ handling: h }), mins(600))).toBeNull();
    expect(autoEscalation(alarm({ cleared: true }), mins(600))).toBeNull();
  });

  it('the acknowledge times are configurable per level', () => {
    const ack = { community: 5, street: 10, district: 20 };
    expect(autoEscalation(alarm(), mins(6), ack)).toMatchObject({ unit_level: 'street' });
    expect(ackDueAt(atStreet(), ack)).toEqual(mins(10));
  });
});
