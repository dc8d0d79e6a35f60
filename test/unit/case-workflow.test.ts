import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROLES as ACCOUNT_ROLES } from '../../server/auth/users.ts';
import {
  ACTIONS,
  ROLES,
  STATUSES,
  TRANSITIONS,
  ForbiddenActionError,
  IllegalTransitionError,
  MissingInputError,
  actionsFor,
  applyAction,
  availableActions,
  can,
  deadlineAt,
  isOverdue,
  open311Status,
  open311StatusNotes,
  possibleActions,
  stateAfter,
  type Action,
  type ActionInput,
  type Actor,
  type CaseState,
  type Role,
  type Status,
} from '../../server/domain/cases/workflow.ts';
import { KPI_DEFINITIONS, computeKpis, describeKpis, type KpiCounts } from '../../server/domain/cases/kpi.ts';

const GRID = '420106001001001';
const H = 3_600_000;
const T0 = new Date('2025-06-02T08:00:00+08:00');
const t = (hours: number) => new Date(T0.getTime() + hours * H);

const citizen: Actor = { id: 'citizen:13800000000', role: 'citizen' };
const dispatcher: Actor = { id: 'dispatcher:P01', role: 'dispatcher' };
const admin: Actor = { id: 'admin:1', role: 'admin' };
const field: Actor = { id: 'field:W07', role: 'field', grids: [GRID] };
const handler: Actor = { id: 'handler:SWJ01', role: 'handler', department: 'SWJ' };
const system: Actor = { id: 'system:iot', role: 'system' };
const PHOTO = ['photos/2025/06/02/after-1.jpg'];

const blankCase = (over: Partial<CaseState> = {}): CaseState => ({
  status: null, grid_code: GRID, dispatched_at: null, deadline_at: null, ...over,
});

/** Applies a sequence of steps, checking each result's status; returns the final state and the transitions. */
function run(state: CaseState, steps: [Action, Actor, Omit<ActionInput, 'at'> & { at: Date }, Status?][]) {
  const transitions = [];
  for (const [action, actor, input, expected] of steps) {
    const r = applyAction(state, action, actor, input);
    if (expected) expect(r.status, action).toBe(expected);
    transitions.push(r.transition);
    state = stateAfter(state, r);
  }
  return { state, transitions };
}

/** A state sitting in the given status, as the API would read it (dispatched ones with a clock). */
function stateIn(status: Status): CaseState {
  const clock = ['dispatched', 'in_progress', 'handled', 'checking', 'reworked', 'suspended', 'closed'].includes(status);
  return blankCase({
    status,
    dispatched_at: clock ? t(0) : null,
    deadline_at: clock ? t(24) : null,
    closed_at: status === 'closed' ? t(20) : null,
    department_code: clock ? 'SWJ' : null,
    suspended_at: status === 'suspended' ? t(5) : null,
    suspended_from: status === 'suspended' ? 'in_progress' : null,
  });
}

/** Input that satisfies every requirement (so only the status decides). */
const FULL: Omit<ActionInput, 'at'> = { note: 'n', reason: 'r', photos: PHOTO, deadlineHours: 24, previousStatus: 'in_progress', department: 'SWJ' };

describe('vocabulary', () => {
  it('statuses are exactly those the cases.status CHECK allows', () => {
    const sql = readFileSync(new URL('../../server/db/migrations/005_cases.sql', import.meta.url), 'utf8');
    const check = /status text NOT NULL CHECK \(status IN \(([^)]*)\)\)/.exec(sql)![1];
    const dbStatuses = [...check.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
    expect([...STATUSES].sort()).toEqual(dbStatuses.sort());
  });

  it('roles include every account role plus citizen and system', () => {
    for (const r of ACCOUNT_ROLES) expect(ROLES).toContain(r);
    expect(ROLES).toContain('citizen');
    expect(ROLES).toContain('system');
  });

  it('the table has one rule per action, targets are statuses, and only closed/rejected are final', () => {
    expect(TRANSITIONS.map((r) => r.action).sort()).toEqual([...ACTIONS].sort());
    for (const r of TRANSITIONS) {
      if (r.to !== 'previous') expect(STATUSES).toContain(r.to);
      for (const f of r.from) expect(STATUSES).toContain(f);
    }
    const dead = STATUSES.filter((s) => possibleActions(s).length === 0);
    expect(dead.sort()).toEqual(['closed', 'rejected']);
  });

  it('every status is reachable from a report', () => {
    const seen = new Set<Status>(['reported']);
    let grew = true;
    while (grew) {
      grew = false;
      for (const r of TRANSITIONS) {
        if (!r.from.some((f) => seen.has(f))) continue;
        const targets: Status[] = r.to === 'previous' ? [...TRANSITIONS.find((x) => x.action === 'suspend')!.from] : [r.to];
        for (const s of targets) if (!seen.has(s)) { seen.add(s); grew = true; }
      }
    }
    expect([...seen].sort()).toEqual([...STATUSES].sort());
  });
});

describe('happy path', () => {
  it('report → accept → verify → register → dispatch → start → handle → check → close, with the right roles', () => {
    const { state, transitions } = run(blankCase(), [
      ['report', citizen, { at: t(-3), note: '井盖缺失' }, 'reported'],
      ['accept', dispatcher, { at: t(-2.9) }, 'accepted'],
      ['verify', field, { at: t(-2), photos: ['before.jpg'] }, 'verified'],
      ['register', dispatcher, { at: t(-1) }, 'registered'],
      ['dispatch', dispatcher, { at: t(0), deadlineHours: 4, department: 'SWJ' }, 'dispatched'],
      ['start', handler, { at: t(0.5) }, 'in_progress'],
      ['handle', handler, { at: t(2), photos: PHOTO, note: '已更换井盖' }, 'handled'],
      ['check', system, { at: t(2.1) }, 'checking'],
      ['close', field, { at: t(3) }, 'closed'],
    ]);
    expect(state.dispatched_at).toEqual(t(0));
    expect(state.deadline_at).toEqual(t(4));
    expect(state.closed_at).toEqual(t(3));
    expect(transitions[0]).toMatchObject({ from_status: null, to_status: 'reported', actor: citizen.id, note: '井盖缺失' });
    expect(transitions.map((x) => x.to_status)).toEqual(
      ['reported', 'accepted', 'verified', 'registered', 'dispatched', 'in_progress', 'handled', 'checking', 'closed']);
    for (let i = 1; i < transitions.length; i++) expect(transitions[i].from_status).toBe(transitions[i - 1].to_status);
    expect(transitions[6]).toMatchObject({ photos: PHOTO, note: '已更换井盖' });
    expect(isOverdue(state, t(100))).toEqual({ overdue: false, closedLate: false, hoursLate: null });
  });

  it('patches only what the action changes, and always updated_at', () => {
    const r1 = applyAction(blankCase(), 'report', system, { at: t(0) });
    expect(r1.patch).toEqual({ reported_at: t(0), updated_at: t(0) });
    const r2 = applyAction(stateIn('reported'), 'accept', dispatcher, { at: t(1) });
    expect(r2.patch).toEqual({ updated_at: t(1) });
    const r3 = applyAction(stateIn('registered'), 'dispatch', dispatcher, { at: t(2), deadlineHours: 48, department: 'SWJ' });
    expect(r3.patch).toEqual({ dispatched_at: t(2), deadline_at: t(50), department_code: 'SWJ', updated_at: t(2) });
    const r4 = applyAction(stateIn('checking'), 'close', dispatcher, { at: t(3) });
    expect(r4.patch).toEqual({ closed_at: t(3), updated_at: t(3) });
  });
});

describe('illegal transitions', () => {
  // Every (status, action) pair the table does not allow, with an actor whose role may take the action.
  const pairs: [Status | null, Action][] = [];
  for (const status of [null, ...STATUSES] as (Status | null)[]) {
    for (const action of ACTIONS) {
      const rule = TRANSITIONS.find((r) => r.action === action)!;
      const allowed = status === null ? rule.from.length === 0 : rule.from.includes(status);
      if (!allowed) pairs.push([status, action]);
    }
  }

  it('there are many of them', () => expect(pairs.length).toBeGreaterThan(150));

  it.each(pairs)('from %s, %s → IllegalTransitionError listing the possible actions', (status, action) => {
    const rule = TRANSITIONS.find((r) => r.action === action)!;
    const actor: Actor = { id: 'x', role: rule.roles[0], grids: [GRID] };
    const state = status === null ? blankCase() : stateIn(status);
    let err: unknown;
    try {
      applyAction(state, action, actor, { ...FULL, at: t(30) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IllegalTransitionError);
    const e = err as IllegalTransitionError;
    expect(e.statusCode).toBe(409);
    const possible = TRANSITIONS.filter((r) => (status === null ? r.from.length === 0 : r.from.includes(status))).map((r) => r.action);
    expect(e.possible).toEqual(possible);
    expect(e.message).toContain(`"${action}"`);
    if (status) expect(e.message).toContain(`"${status}"`);
    if (possible.length > 0) expect(e.message).toContain(`possible now: ${possible.join(', ')}`);
    else expect(e.message).toContain('is final');
  });

  it('the message reads well', () => {
    expect(() => applyAction(stateIn('dispatched'), 'close', dispatcher, { at: t(1) })).toThrow(
      'cannot "close" a case that is "dispatched"; possible now: start, suspend, return');
    expect(() => applyAction(stateIn('closed'), 'rework', dispatcher, { at: t(1), note: 'x' })).toThrow(
      'cannot "rework" a case that is "closed"; no action is possible: "closed" is final');
  });
});

describe('roles', () => {
  it('a citizen cannot dispatch (403, even from registered) and may only report', () => {
    expect(() => applyAction(stateIn('registered'), 'dispatch', citizen, { at: t(0), deadlineHours: 4 })).toThrow(ForbiddenActionError);
    try {
      applyAction(stateIn('registered'), 'dispatch', citizen, { at: t(0), deadlineHours: 4 });
    } catch (e) {
      expect((e as ForbiddenActionError).statusCode).toBe(403);
      expect((e as Error).message).toBe('a citizen may not "dispatch" a case; "dispatch" is for: dispatcher, admin');
    }
    expect(can('citizen', 'dispatch', 'registered')).toBe(false);
    for (const s of [null, ...STATUSES] as (Status | null)[]) {
      expect(availableActions('citizen', s)).toEqual(s === null ? ['report'] : []);
    }
  });

  it('planner and commander can do nothing but read', () => {
    for (const role of ['planner', 'commander'] as Role[]) {
      for (const s of [null, ...STATUSES] as (Status | null)[]) expect(availableActions(role, s)).toEqual([]);
      for (const action of ACTIONS) {
        const rule = TRANSITIONS.find((r) => r.action === action)!;
        const state = rule.from.length === 0 ? blankCase() : stateIn(rule.from[0]);
        expect(() => applyAction(state, action, { id: role, role, grids: [GRID] }, { ...FULL, at: t(30) })).toThrow(ForbiddenActionError);
      }
    }
  });

  it('admin can do exactly what a dispatcher can', () => {
    for (const s of [null, ...STATUSES] as (Status | null)[]) {
      expect(availableActions('admin', s)).toEqual(availableActions('dispatcher', s));
    }
    const r = applyAction(stateIn('registered'), 'dispatch', admin, { at: t(0), deadlineHours: 4, department: 'SWJ' });
    expect(r.status).toBe('dispatched');
    expect(() => applyAction(stateIn('dispatched'), 'start', admin, { at: t(1) })).toThrow(ForbiddenActionError);
  });

  it('handling steps are the handler\'s, checking the inspector\'s (field); system may report and send for check', () => {
    expect(can('dispatcher', 'handle', 'in_progress')).toBe(false);
    expect(can('field', 'handle', 'in_progress')).toBe(false);
    expect(can('handler', 'handle', 'in_progress')).toBe(true);
    expect(availableActions('handler', 'checking')).toEqual([]);
    expect(availableActions('system', null)).toEqual(['report']);
    expect(availableActions('system', 'handled')).toEqual(['check']);
    expect(availableActions('field', 'checking')).toEqual(['close', 'rework']);
    expect(availableActions('dispatcher', 'checking')).toEqual(['close', 'rework']);
    expect(availableActions('field', 'dispatched')).toEqual([]);
    expect(availableActions('handler', 'dispatched')).toEqual(['start', 'return']);
    expect(availableActions('dispatcher', 'dispatched')).toEqual(['suspend']);
  });

  it('a field worker outside their grids → ForbiddenActionError; prefixes cover a street; no grids → 403', () => {
    const other: Actor = { id: 'field:W99', role: 'field', grids: ['420106002003004'] };
    expect(() => applyAction(stateIn('checking'), 'close', other, { at: t(1) })).toThrow(ForbiddenActionError);
    expect(() => applyAction(stateIn('checking'), 'close', other, { at: t(1) })).toThrow(/outside the grids assigned to you/);
    expect(() => applyAction(stateIn('checking'), 'close', { id: 'f', role: 'field' }, { at: t(1) })).toThrow(ForbiddenActionError);
    expect(() => applyAction(stateIn('checking'), 'close', field, { at: t(1) })).not.toThrow();
    const street: Actor = { id: 'field:S', role: 'field', grids: ['420106001'] };
    expect(applyAction(stateIn('checking'), 'close', street, { at: t(1) }).status).toBe('closed');
    // a case without a grid
    expect(() => applyAction({ ...stateIn('checking'), grid_code: null }, 'close', field, { at: t(1) })).toThrow(/has no unit grid/);
    // a report is not grid-bound; dispatchers are not grid-bound
    expect(applyAction(blankCase({ grid_code: '420106009009009' }), 'report', other, { at: t(0) }).status).toBe('reported');
    expect(applyAction({ ...stateIn('registered'), grid_code: null }, 'dispatch', dispatcher, { at: t(0), deadlineHours: 4, department: 'SWJ' }).status).toBe('dispatched');
    expect(actionsFor(other, stateIn('checking'))).toEqual([]);
    expect(actionsFor(field, stateIn('checking'))).toEqual(['close', 'rework']);
  });
});

describe('inspector and handler (the field role split)', () => {
  it('a handler acts only on its own department\'s cases; a dispatch names the department', () => {
    expect(applyAction(stateIn('dispatched'), 'start', handler, { at: t(1) }).status).toBe('in_progress');
    const other: Actor = { id: 'handler:JSJ01', role: 'handler', department: 'JSJ' };
    expect(() => applyAction(stateIn('dispatched'), 'start', other, { at: t(1) })).toThrow(/not dispatched to your department/);
    expect(() => applyAction(stateIn('dispatched'), 'start', { id: 'h', role: 'handler' }, { at: t(1) })).toThrow(ForbiddenActionError);
    expect(actionsFor(other, stateIn('dispatched'))).toEqual([]);
    expect(actionsFor(handler, stateIn('dispatched'))).toEqual(['start', 'return']);
    expect(() => applyAction(stateIn('registered'), 'dispatch', dispatcher, { at: t(0), deadlineHours: 4 })).toThrow(/needs the department/);
    expect(() => applyAction(stateIn('returned'), 'redispatch', dispatcher, { at: t(0), deadlineHours: 4, department: ' ' })).toThrow(MissingInputError);
  });

  it('whoever reported a case handled may not send it for check, close it or send it back, whatever its role now', () => {
    const { state } = run(stateIn('in_progress'), [['handle', handler, { at: t(1), photos: PHOTO }, 'handled']]);
    expect(state.handled_by).toEqual([handler.id]);
    // the same account, later a dispatcher or an inspector (a role can change)
    for (const role of ['dispatcher', 'field', 'admin'] as Role[]) {
      const same: Actor = { id: handler.id, role, grids: [GRID] };
      expect(() => applyAction(state, 'check', { ...same, role: role === 'field' ? 'dispatcher' : role }, { at: t(2) })).toThrow(/may not "check"/);
      const checking = { ...state, status: 'checking' as Status };
      expect(() => applyAction(checking, 'close', same, { at: t(2) })).toThrow(ForbiddenActionError);
      expect(() => applyAction(checking, 'rework', same, { at: t(2), note: 'x' })).toThrow(ForbiddenActionError);
      expect(actionsFor(same, checking)).toEqual([]);
    }
    // anyone else may
    const checking = stateAfter(state, applyAction(state, 'check', dispatcher, { at: t(2) }));
    expect(applyAction(checking, 'close', field, { at: t(3) }).status).toBe('closed');
  });

  it('Open311 status notes name the department where the step is theirs', () => {
    const swj = { zh: '区水务和湖泊局', en: 'District Water and Lakes Bureau' };
    expect(open311StatusNotes('dispatched', swj)).toEqual({ zh: '已派遣至区水务和湖泊局', en: 'Dispatched to District Water and Lakes Bureau' });
    expect(open311StatusNotes('in_progress', swj).zh).toBe('区水务和湖泊局正在处理');
    expect(open311StatusNotes('dispatched')).toEqual(open311StatusNotes('dispatched', null));
    expect(open311StatusNotes('closed', swj)).toEqual(open311StatusNotes('closed'));
  });
});

describe('required input', () => {
  it('handle without photos → MissingInputError (400); blank photo names do not count', () => {
    for (const photos of [undefined, [], ['', '  ']]) {
      expect(() => applyAction(stateIn('in_progress'), 'handle', handler, { at: t(1), photos })).toThrow(MissingInputError);
    }
    try {
      applyAction(stateIn('in_progress'), 'handle', handler, { at: t(1) });
    } catch (e) {
      expect((e as MissingInputError).statusCode).toBe(400);
      expect((e as Error).message).toBe('"handle" needs at least 1 result photo; got 0');
    }
  });

  it('rework needs a note; suspend, return and reject need a reason', () => {
    expect(() => applyAction(stateIn('checking'), 'rework', field, { at: t(1), note: '  ' })).toThrow(MissingInputError);
    expect(() => applyAction(stateIn('in_progress'), 'suspend', dispatcher, { at: t(1) })).toThrow('"suspend" needs a reason');
    expect(() => applyAction(stateIn('dispatched'), 'return', handler, { at: t(1), note: 'not a reason' })).toThrow(MissingInputError);
    expect(() => applyAction(stateIn('reported'), 'reject', dispatcher, { at: t(1) })).toThrow(MissingInputError);
    const r = applyAction(stateIn('reported'), 'reject', dispatcher, { at: t(1), reason: '重复上报', note: '同 WC2025060200001' });
    expect(r.status).toBe('rejected');
    expect(r.transition.note).toBe('重复上报\n同 WC2025060200001');
    expect(r.patch.closed_at).toBeUndefined();
  });

  it('dispatch needs deadline hours from the input or the state', () => {
    expect(() => applyAction(stateIn('registered'), 'dispatch', dispatcher, { at: t(0), department: 'SWJ' })).toThrow(/deadlineHours/);
    expect(() => applyAction(stateIn('registered'), 'dispatch', dispatcher, { at: t(0), deadlineHours: 0, department: 'SWJ' })).toThrow(MissingInputError);
    const r = applyAction({ ...stateIn('registered'), deadline_hours: 48 }, 'dispatch', dispatcher, { at: t(0), department: 'SWJ' });
    expect(r.patch.deadline_at).toEqual(t(48));
    const o = applyAction({ ...stateIn('registered'), deadline_hours: 48 }, 'dispatch', dispatcher, { at: t(0), deadlineHours: 2, department: 'SWJ' });
    expect(o.patch.deadline_at).toEqual(t(2));
  });

  it('an invalid time is refused', () => {
    expect(() => applyAction(stateIn('reported'), 'accept', dispatcher, { at: new Date('nope') })).toThrow(MissingInputError);
  });
});

describe('rework', () => {
  it('checking → reworked → in_progress, a second handle works, and the deadline stays', () => {
    const start = stateIn('checking');
    const { state, transitions } = run(start, [
      ['rework', field, { at: t(10), note: '井盖未固定' }, 'reworked'],
      ['start', handler, { at: t(11) }, 'in_progress'],
      ['handle', handler, { at: t(12), photos: ['after-2.jpg'] }, 'handled'],
      ['check', dispatcher, { at: t(12.5) }, 'checking'],
      ['close', dispatcher, { at: t(13) }, 'closed'],
    ]);
    expect(transitions[0]).toMatchObject({ from_status: 'checking', to_status: 'reworked', note: '井盖未固定' });
    expect(state.deadline_at).toEqual(start.deadline_at);
    expect(state.dispatched_at).toEqual(start.dispatched_at);
    expect(state.closed_at).toEqual(t(13));
  });
});

describe('suspend and resume', () => {
  it.each(['dispatched', 'in_progress', 'reworked'] as Status[])('from %s: resume restores it and shifts the deadline', (from) => {
    const s0 = stateIn(from); // dispatched at t(0), deadline t(24)
    const sus = applyAction(s0, 'suspend', dispatcher, { at: t(5), reason: '需多部门协调' });
    expect(sus.status).toBe('suspended');
    expect(sus.transition).toMatchObject({ from_status: from, to_status: 'suspended', note: '需多部门协调' });
    const s1 = stateAfter(s0, sus);
    expect(s1).toMatchObject({ suspended_at: t(5), suspended_from: from });
    // While suspended the clock stands: not overdue even long after the old deadline.
    expect(isOverdue(s1, t(500)).overdue).toBe(false);
    // 72 h suspended → the deadline moves 72 h later.
    const res = applyAction(s1, 'resume', dispatcher, { at: t(77) });
    expect(res.status).toBe(from);
    expect(res.patch.deadline_at).toEqual(t(24 + 72));
    expect(res.transition).toMatchObject({ from_status: 'suspended', to_status: from });
    const s2 = stateAfter(s1, res);
    expect(s2.dispatched_at).toEqual(t(0));
    expect(isOverdue(s2, t(95)).overdue).toBe(false);
    expect(isOverdue(s2, t(97))).toEqual({ overdue: true, closedLate: false, hoursLate: 1 });
  });

  it('input.previousStatus takes precedence; without any previous status → 400; a bad one → 400', () => {
    const s = stateIn('suspended'); // suspended_from in_progress
    expect(applyAction(s, 'resume', dispatcher, { at: t(6), previousStatus: 'dispatched' }).status).toBe('dispatched');
    const bare = { ...s, suspended_from: null };
    expect(() => applyAction(bare, 'resume', dispatcher, { at: t(6) })).toThrow(/previousStatus/);
    expect(() => applyAction(bare, 'resume', dispatcher, { at: t(6), previousStatus: 'closed' })).toThrow(MissingInputError);
    expect(() => applyAction({ ...s, suspended_at: null }, 'resume', dispatcher, { at: t(6) })).toThrow(/suspended_at/);
    expect(() => applyAction(s, 'resume', dispatcher, { at: t(4) })).toThrow(/before the suspension/);
  });

  it('a case already late when suspended stays overdue while suspended, by the lateness at suspension', () => {
    const s = { ...stateIn('suspended'), suspended_at: t(30) }; // deadline t(24)
    expect(isOverdue(s, t(1000))).toEqual({ overdue: true, closedLate: false, hoursLate: 6 });
  });

  it('suspend is only where the clock runs, and only by the centre', () => {
    for (const s of ['reported', 'registered', 'handled', 'checking', 'returned'] as Status[]) expect(can('dispatcher', 'suspend', s)).toBe(false);
    expect(() => applyAction(stateIn('in_progress'), 'suspend', field, { at: t(1), reason: 'x' })).toThrow(ForbiddenActionError);
  });
});

describe('return and redispatch', () => {
  it('a unit returns a dispatched case; redispatch restarts the clock', () => {
    const { state, transitions } = run(stateIn('dispatched'), [
      ['return', handler, { at: t(2), reason: '非本单位职责' }, 'returned'],
      ['redispatch', dispatcher, { at: t(3), deadlineHours: 24, department: 'JSJ' }, 'dispatched'],
    ]);
    expect(transitions[0].note).toBe('非本单位职责');
    expect(state.dispatched_at).toEqual(t(3));
    expect(state.deadline_at).toEqual(t(27));
    expect(state.department_code).toBe('JSJ');
    expect(can('handler', 'return', 'in_progress')).toBe(false);
  });
});

describe('deadlines', () => {
  const catalogue = readFileSync(new URL('../../server/db/migrations/006_case_catalogue.sql', import.meta.url), 'utf8');
  const hoursOf = (code: string) => Number(new RegExp(`\\('${code}', '[A-Z0-9]+', '[^']*', '[^']*', '(?:urgent|normal)', ([0-9.]+),`).exec(catalogue)![1]);

  it('a 2-hour urgent item (C0111 gas manhole cover) and a 168-hour item (E0713 misconnection) count from dispatch', () => {
    expect(hoursOf('C0111')).toBe(2);
    expect(hoursOf('E0713')).toBe(168);
    const dispatched = new Date('2025-06-02T23:30:00+08:00');
    expect(deadlineAt(dispatched, hoursOf('C0111')).toISOString()).toBe('2025-06-02T17:30:00.000Z'); // 01:30 local next day
    expect(deadlineAt(dispatched, hoursOf('E0713')).toISOString()).toBe('2025-06-09T15:30:00.000Z'); // one week later
    // from dispatch, not from the report
    const r = applyAction(blankCase({ status: 'registered', dispatched_at: null }), 'dispatch', dispatcher,
      { at: dispatched, deadlineHours: hoursOf('C0111'), department: 'RQGS' });
    expect(r.patch.deadline_at).toEqual(new Date(dispatched.getTime() + 2 * H));
    expect(() => deadlineAt(dispatched, -1)).toThrow(MissingInputError);
    expect(() => deadlineAt(dispatched, Number.NaN)).toThrow(MissingInputError);
  });

  it('isOverdue: open cases before/at/after the deadline, handled and checking too', () => {
    const s = stateIn('in_progress'); // deadline t(24)
    expect(isOverdue(s, t(23.9)).overdue).toBe(false);
    expect(isOverdue(s, t(24)).overdue).toBe(false);
    expect(isOverdue(s, t(26))).toEqual({ overdue: true, closedLate: false, hoursLate: 2 });
    expect(isOverdue(stateIn('checking'), t(25)).overdue).toBe(true);
    expect(isOverdue(stateIn('handled'), t(25)).overdue).toBe(true);
    // not dispatched yet: no deadline
    expect(isOverdue(stateIn('registered'), t(1000)).overdue).toBe(false);
    expect(isOverdue(stateIn('rejected'), t(1000))).toEqual({ overdue: false, closedLate: false, hoursLate: null });
  });

  it('closed cases: closedLate when closed after the deadline, never overdue', () => {
    expect(isOverdue({ ...stateIn('closed'), closed_at: t(20) }, t(1000))).toEqual({ overdue: false, closedLate: false, hoursLate: null });
    expect(isOverdue({ ...stateIn('closed'), closed_at: t(30) }, t(1000))).toEqual({ overdue: false, closedLate: true, hoursLate: 6 });
  });
});

describe('Open311', () => {
  it('open/closed for every status', () => {
    const expected: Record<Status, 'open' | 'closed'> = {
      reported: 'open', accepted: 'open', rejected: 'closed', verified: 'open', registered: 'open', dispatched: 'open',
      in_progress: 'open', handled: 'open', checking: 'open', closed: 'closed', reworked: 'open', suspended: 'open', returned: 'open',
    };
    for (const s of STATUSES) expect(open311Status(s), s).toBe(expected[s]);
  });

  it('status notes exist in both languages and differ per status', () => {
    const zh = new Set<string>();
    for (const s of STATUSES) {
      const n = open311StatusNotes(s);
      expect(n.zh.length, s).toBeGreaterThan(0);
      expect(n.en.length, s).toBeGreaterThan(0);
      zh.add(n.zh);
    }
    expect(zh.size).toBe(STATUSES.length);
  });
});

describe('KPIs', () => {
  const counts: KpiCounts = {
    reported: 1000, valid: 920, registered: 900, dispatched: 880, handled: 850, handledOnTime: 792, closed: 820,
    closedOnTime: 765, reworked: 18, activeDiscovery: 610, disposalHoursSum: 20_400, disposalCount: 850,
    satisfied: 171, evaluated: 180,
  };

  it('worked example', () => {
    const k = computeKpis(counts);
    expect(k.filings).toBe(900);
    expect(k.activeDiscoveryRate).toBeCloseTo(0.61, 12);
    expect(k.onTimeHandlingRate).toBeCloseTo(0.9, 12); // 792 / 880
    expect(k.closingRate).toBeCloseTo(0.911111111111, 9); // 820 / 900
    expect(k.onTimeClosingRate).toBeCloseTo(0.85, 12); // 765 / 900
    expect(k.avgDisposalHours).toBe(24); // 20 400 / 850
    expect(k.reworkRate).toBeCloseTo(0.02, 12); // 18 / 900
    expect(k.satisfactionRate).toBeCloseTo(0.95, 12); // 171 / 180
    expect(k.validReportRate).toBeCloseTo(0.92, 12);
    expect(k.registrationRate).toBeCloseTo(900 / 920, 12);
  });

  it('zero denominators give null; counts stay numbers', () => {
    const zero = Object.fromEntries(Object.keys(counts).map((key) => [key, 0])) as unknown as KpiCounts;
    const k = computeKpis(zero);
    expect(k.filings).toBe(0);
    for (const d of KPI_DEFINITIONS) if (d.denominator) expect(k[d.key], d.key).toBeNull();
    // only the evaluations missing
    const partial = computeKpis({ ...counts, evaluated: 0, satisfied: 0 });
    expect(partial.satisfactionRate).toBeNull();
    expect(partial.closingRate).not.toBeNull();
  });

  it('definitions are complete data: labels, definition strings, known fields; the eight KPIs are there', () => {
    const keys = KPI_DEFINITIONS.filter((d) => !d.extra).map((d) => d.key);
    expect(keys).toEqual(['filings', 'activeDiscoveryRate', 'onTimeHandlingRate', 'closingRate', 'onTimeClosingRate',
      'avgDisposalHours', 'reworkRate', 'satisfactionRate']);
    for (const d of KPI_DEFINITIONS) {
      expect(d.label.zh && d.label.en && d.definition).toBeTruthy();
      expect(Object.keys(counts)).toContain(d.numerator);
      if (d.denominator) expect(Object.keys(counts)).toContain(d.denominator);
      expect(d.unit === 'count').toBe(!d.denominator);
    }
    expect(KPI_DEFINITIONS.find((d) => d.key === 'onTimeClosingRate')!.label.zh).toBe('按期结案率');
    const described = describeKpis(counts);
    expect(described.map((d) => d.key)).toEqual(KPI_DEFINITIONS.map((d) => d.key));
    expect(described.find((d) => d.key === 'avgDisposalHours')!.value).toBe(24);
  });

  it('refuses a string count (pg returns count(*) as text)', () => {
    expect(() => computeKpis({ ...counts, closed: '820' as unknown as number })).toThrow(TypeError);
    expect(() => computeKpis({ ...counts, closed: -1 })).toThrow(TypeError);
  });
});
