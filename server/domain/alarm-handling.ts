// Handling a sensor alarm (告警处置): a pure state machine, no I/O. The sensor side (an alarm raised and
// cleared by readings, server/domain/alarms.ts) is separate: an alarm whose readings went back to normal
// still waits to be handled, and one that is closed may still read high.
//
//   new ──acknowledge──▶ acknowledged ──assign──▶ assigned ──close──▶ closed (final)
//    │                        │     └────────close──────────▲  ▲ assign again (reassign)
//    └──────escalate (community → street → district): back to new at the unit above
//
// Choices (each has a unit test):
//  1. An alarm is handled by one unit at a time: its community, its street, or the district (unit_level and
//     unit_code). It starts at the lowest unit whose area holds the station (community; street or district
//     for a station outside every grid, e.g. on the river). The database fills this in on insert.
//  2. Escalating hands the alarm to the unit above: it is new there (acknowledged and assignee cleared), and
//     that unit's acknowledge clock starts (unit_since). The district is the top: escalating it is a 409.
//  3. Assigning needs the alarm acknowledged first; closing too (close a false alarm by acknowledging it
//     first: the record then says who looked at it). Escalate and close need a note (why), assign an assignee.
//  4. Who: the centre (dispatcher; admin as dispatcher) acts at every level. A commander (指挥长) acts on
//     alarms at the district level, and does not escalate (there is nothing above). A field account acts
//     where its grids reach: a grid entry counts as its community (its first 12 digits), a 9-digit entry is a
//     street, a 6-digit one the district; it acts on an alarm whose unit code lies within one of them (a
//     community worker loses the alarm when it goes up to the street). planner: reads only.
//  5. Auto-escalation (督办): an alarm still new and still in effect (not cleared) past its level's
//     acknowledge time goes one level up by itself and is marked supervised; at the district it is marked
//     supervised where it stands. A cleared alarm is not escalated: its urgency ended, it waits at its level.
//     Supervised stays set once set (the record of having been overdue), also through later actions.
//  6. Order of checks: a role that may never take the action → 403; the action not possible from the state
//     (or at the level) → 409; an account whose reach does not cover the alarm's unit → 403; missing input → 400.

import { ALARM_ACTIONS, ALARM_HANDLING, ALARM_UNIT_LEVELS, type AlarmAction, type AlarmHandling, type AlarmUnitLevel } from '../../common/enums.ts';
import type { Role } from '../../common/api/auth.ts';
import { ApiError } from '../http/errors.ts';

export { ALARM_ACTIONS, ALARM_HANDLING, ALARM_UNIT_LEVELS };
export type { AlarmAction, AlarmHandling, AlarmUnitLevel };

/** Minutes an alarm may wait unacknowledged at each level; ONEMAP_ALARM_ACK_MINUTES overrides (server/settings.ts). */
export const DEFAULT_ACK_MINUTES: Readonly<Record<AlarmUnitLevel, number>> = { community: 15, street: 30, district: 60 };
export type AckMinutes = Readonly<Record<AlarmUnitLevel, number>>;

interface Rule {
  from: readonly AlarmHandling[];
  roles: readonly Role[];
}

/** Who may take each action, from which states. Levels are checked by reaches(). */
export const RULES: Readonly<Record<AlarmAction, Rule>> = {
  acknowledge: { from: ['new'], roles: ['field', 'commander', 'dispatcher', 'admin'] },
  assign: { from: ['acknowledged', 'assigned'], roles: ['field', 'commander', 'dispatcher', 'admin'] },
  escalate: { from: ['new', 'acknowledged', 'assigned'], roles: ['field', 'dispatcher', 'admin'] },
  close: { from: ['acknowledged', 'assigned'], roles: ['field', 'commander', 'dispatcher', 'admin'] },
};

/** Where an alarm's station lies (codes as the admin tables have them; null outside). */
export interface AlarmPlace {
  community_code: string | null;
  street_code: string | null;
  district_code: string | null;
}

export interface AlarmState extends AlarmPlace {
  handling: AlarmHandling;
  unit_level: AlarmUnitLevel;
  unit_code: string | null;
  unit_since: Date;
  supervised: boolean;
  cleared: boolean;
}

export interface AlarmActor {
  id: string;
  role: Role | 'system';
  grids?: readonly string[];
}

export interface ActionInput {
  note?: string | null;
  assignee?: string | null;
  at: Date;
}

/** What changes on the alarm row (absent: unchanged). */
export interface AlarmPatch {
  handling: AlarmHandling;
  unit_level: AlarmUnitLevel;
  unit_code: string | null;
  unit_since?: Date;
  supervised?: boolean;
  assignee?: string | null;
  acknowledged_at?: Date | null;
  acknowledged_by?: string | null;
  closed_at?: Date;
  closed_by?: string;
}

export class AlarmConflictError extends ApiError {
  constructor(message: string) { super(409, 'conflict', message); }
}
export class AlarmForbiddenError extends ApiError {
  constructor(message: string) { super(403, 'forbidden', message); }
}
export class AlarmInputError extends ApiError {
  constructor(message: string) { super(400, 'bad request', message); }
}

/** The unit above, or null at the district. */
export function levelAbove(level: AlarmUnitLevel): AlarmUnitLevel | null {
  return level === 'community' ? 'street' : level === 'street' ? 'district' : null;
}

/** The code of the unit at `level` for this place (null when the place has none at that level). */
export function unitCodeAt(level: AlarmUnitLevel, p: AlarmPlace): string | null {
  return level === 'community' ? p.community_code : level === 'street' ? p.street_code : p.district_code;
}

/** A field account's grid entry as the unit it names: a grid stands for its community. */
const entryUnit = (g: string) => g.trim().slice(0, 12);

/** Whether the actor works at the alarm's current unit (choice 4). */
export function reaches(actor: AlarmActor, s: Pick<AlarmState, 'unit_level' | 'unit_code'>): boolean {
  switch (actor.role) {
    case 'dispatcher': case 'admin': case 'system': return true;
    case 'commander': return s.unit_level === 'district';
    case 'field': {
      const code = s.unit_code;
      return code !== null && (actor.grids ?? []).some((g) => { const u = entryUnit(g); return u.length >= 6 && code.startsWith(u); });
    }
    default: return false;
  }
}

/** The actions this actor may take now (what the UI offers). */
export function availableAlarmActions(actor: AlarmActor, s: AlarmState): AlarmAction[] {
  if (!reaches(actor, s)) return [];
  return ALARM_ACTIONS.filter((a) => (RULES[a].roles as readonly string[]).includes(actor.role) && RULES[a].from.includes(s.handling)
    && (a !== 'escalate' || levelAbove(s.unit_level) !== null));
}

/** Checks and applies one action (choice 6 gives the order of the checks); returns the patch. */
export function applyAlarmAction(s: AlarmState, action: AlarmAction, actor: AlarmActor, input: ActionInput): AlarmPatch {
  const rule = RULES[action];
  if (!(rule.roles as readonly string[]).includes(actor.role)) {
    throw new AlarmForbiddenError(`a ${actor.role} may not ${action} an alarm; it needs the role ${rule.roles.join(' or ')}`);
  }
  if (!rule.from.includes(s.handling)) {
    const now = ALARM_ACTIONS.filter((a) => RULES[a].from.includes(s.handling));
    throw new AlarmConflictError(`cannot ${action} an alarm that is ${s.handling}; ${now.length ? `possible now: ${now.join(', ')}` : 'it is closed (final)'}`);
  }
  const above = levelAbove(s.unit_level);
  if (action === 'escalate' && above === null) throw new AlarmConflictError('cannot escalate an alarm at the district: there is no level above');
  if (!reaches(actor, s)) {
    throw new AlarmForbiddenError(`this alarm is handled at the ${s.unit_level} level (${s.unit_code ?? 'no unit'}), which your account does not reach`);
  }
  const note = input.note?.trim() || null;
  const same = { handling: s.handling, unit_level: s.unit_level, unit_code: s.unit_code };
  switch (action) {
    case 'acknowledge':
      return { ...same, handling: 'acknowledged', acknowledged_at: input.at, acknowledged_by: actor.id };
    case 'assign': {
      const assignee = input.assignee?.trim();
      if (!assignee) throw new AlarmInputError('assign needs an assignee (who goes)');
      return { ...same, handling: 'assigned', assignee };
    }
    case 'escalate':
      if (!note) throw new AlarmInputError('escalate needs a note (why the unit above must take it)');
      return escalated(s, above!, input.at);
    case 'close':
      if (!note) throw new AlarmInputError('close needs a note (what was found and done)');
      return { ...same, handling: 'closed', closed_at: input.at, closed_by: actor.id };
  }
}

function escalated(s: AlarmState, to: AlarmUnitLevel, at: Date): AlarmPatch {
  // A place without a unit at the level above (a station outside every street) goes on up.
  let level = to;
  while (unitCodeAt(level, s) === null && levelAbove(level) !== null) level = levelAbove(level)!;
  return { handling: 'new', unit_level: level, unit_code: unitCodeAt(level, s), unit_since: at, assignee: null, acknowledged_at: null, acknowledged_by: null };
}

/** When the alarm's acknowledge time at its level runs out. */
export function ackDueAt(s: Pick<AlarmState, 'unit_level' | 'unit_since'>, ack: AckMinutes = DEFAULT_ACK_MINUTES): Date {
  return new Date(s.unit_since.getTime() + ack[s.unit_level] * 60_000);
}

/** Whether the sweep acts on the alarm at `now` (choice 5). */
export function isOverdue(s: AlarmState, now: Date, ack: AckMinutes = DEFAULT_ACK_MINUTES): boolean {
  return s.handling === 'new' && !s.cleared && ackDueAt(s, ack) < now && !(s.unit_level === 'district' && s.supervised);
}

/** What the sweep does to an overdue alarm (null when it is not overdue). */
export function autoEscalation(s: AlarmState, now: Date, ack: AckMinutes = DEFAULT_ACK_MINUTES): AlarmPatch | null {
  if (!isOverdue(s, now, ack)) return null;
  const above = levelAbove(s.unit_level);
  if (above === null) return { handling: 'new', unit_level: s.unit_level, unit_code: s.unit_code, supervised: true };
  return { ...escalated(s, above, now), supervised: true };
}
