// City-management case workflow (数字城管, GB/T 30428 / CJ/T 315 seven-step loop): a pure state machine.
// Statuses as in the CHECK of server/db/migrations/005_cases.sql; the Open311 façade below follows GeoReport v2.
// No I/O: the API reads the case (and its latest 'suspended' transition), calls applyAction, and writes the
// returned patch and transition row in one transaction. The transition table is data (TRANSITIONS); the
// functions only read it.
//
// Choices where the standard (or the brief) leaves room — each has a unit test:
//  1. 'report' creates the case: its rule has no from-status and is asked for with status null, and its
//     transition has from_status null (as the seeded histories have).
//  2. 'reject' (作废) needs a reason and is possible until 立案 (reported, accepted, verified): 核实 on site is
//     what finds a report untrue, so it must be able to end there; the reason becomes the Open311 status note.
//     A registered case is on the books and ends only by closing. closed and rejected are final: a
//     recurrence is a new report (a new 案卷), as in the standard, never a reopened one.
//  3. Every case goes through 核实 (verify), whatever its source, as in the seeded data; for an inspector's own
//     report the API may apply 'verify' as that inspector right after the report.
//  4. 返工 goes checking → reworked (a status of its own, as the DB and seed have it), then 'start' takes it
//     back to in_progress and a second 'handle' follows. The deadline is NOT reset by rework: the unit's time
//     limit covers doing the job right; a failed check is the unit's delay.
//  5. Who checks: 'check' (申请核查, handled → checking) is the centre sending the 核查 task (dispatcher, or
//     system when it is automatic). The check outcome, 'close' (核查通过结案) or 'rework', may be given by the
//     field inspector on site or by the centre (dispatcher) on the inspector's report or a video/photo check:
//     the standard has 监督员 核查 and 监督中心 结案, and our one-step close covers both ends.
//  6. 'suspend' (挂账/延期) is possible only where the deadline clock runs (dispatched, in_progress, reworked);
//     it needs a reason. 'resume' returns to the status the case was suspended from, which the API passes as
//     input.previousStatus (or state.suspended_from: the from_status of the latest transition into
//     'suspended'). Imposing and lifting a suspension are both the centre's (dispatcher) decisions.
//  7. 'return' (回退) is possible only from dispatched: a unit that has started the job has accepted it as its
//     own. 'redispatch' restarts the clock: dispatched_at and deadline_at are set afresh, as in the seeded
//     data (the misdispatch shows in 准确派遣率, not in the next unit's time limit).
//  8. Deadlines count calendar hours from dispatch (the catalogue's deadline_hours, as the seed counts them).
//     The standard's 工作时/工作日 need a local working calendar with holidays, which is out of scope here.
//     Suspended time does not count: on resume deadline_at moves later by the suspended duration, while
//     dispatched_at stays (the difference is the suspended time, also visible in the transitions). The
//     deadline covers the loop up to 结案, so an open case in handled/checking past it is overdue too.
//  9. Field workers act only on cases in their grids ('report' excepted: a citizen may report anywhere, an
//     inspector must be able to as well). A grid entry matches the case's grid code as a prefix, so a
//     9-digit street or 12-digit community code covers its unit grids; a field actor without grids, or a case
//     without a grid code, gets 403 — a missing claim must not widen access. Through the API such a case is
//     not even there: it answers 404 before asking these rules (server/cases/access.ts), so that neither a
//     403 nor a 409 tells a field worker that a case exists outside their grids.
// 10. admin may do everything a dispatcher may (and only that: not the field steps). commander and planner
//     have no workflow action: both read; 督办 (urging) is a notice, not a status change.
// 11. A reason is written to case_transitions.note (there is no reason column); when both a reason and a
//     note are given, the note is the reason, a newline and the note. closed_at is set by 'close' only, not
//     by 'reject' (closed_at is the 结案 time the KPIs measure).
// 12. The field role splits in two: 'field' is the 监督员 (inspector: reports, verifies, checks: close or
//     rework on site) and 'handler' is a department's 处置人员 (starts, reports handled, returns). A handler
//     acts only on the cases dispatched to their own department (server/domain/cases/dispatch.ts suggests
//     the department; 'dispatch' and 'redispatch' need one), never by grid.
// 13. Separation of duties: an account that reported a case as handled may never send it for check, close it
//     or send it back (403), whatever its role now (a role can change); the database refuses it too.

import { CASE_STATUSES, type CaseStatus } from '../../../common/enums.ts';
import { ApiError } from '../../http/errors.ts';

// ---- Vocabulary ----------------------------------------------------------------------------------

export interface Label {
  zh: string;
  en: string;
}

/** Exactly the statuses the cases.status CHECK allows (common/, where the map reads them too). */
export const STATUSES = CASE_STATUSES;
export type Status = CaseStatus;

/** Account roles (server/auth/users.ts) plus the two non-account sources of reports. */
export const ROLES = ['commander', 'planner', 'field', 'handler', 'dispatcher', 'admin', 'citizen', 'system'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  'report', 'accept', 'reject', 'verify', 'register', 'dispatch', 'start', 'handle', 'check', 'close', 'rework',
  'suspend', 'resume', 'return', 'redispatch',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Final statuses: no action leaves them. Open311 'closed'. */
export const FINAL_STATUSES: readonly Status[] = ['closed', 'rejected'];

export const STATUS_LABELS: Record<Status, Label> = {
  reported: { zh: '已上报', en: 'Reported' },
  accepted: { zh: '已受理', en: 'Accepted' },
  rejected: { zh: '已作废', en: 'Rejected' },
  verified: { zh: '已核实', en: 'Verified' },
  registered: { zh: '已立案', en: 'Registered' },
  dispatched: { zh: '已派遣', en: 'Dispatched' },
  in_progress: { zh: '处置中', en: 'In progress' },
  handled: { zh: '已处置', en: 'Handled' },
  checking: { zh: '核查中', en: 'Being checked' },
  closed: { zh: '已结案', en: 'Closed' },
  reworked: { zh: '返工', en: 'Sent back for rework' },
  suspended: { zh: '挂账', en: 'Suspended' },
  returned: { zh: '已回退', en: 'Returned' },
};

// ---- The transition table ------------------------------------------------------------------------

export interface Requires {
  /** A non-blank note. */
  note?: boolean;
  /** At least this many photos. */
  photos?: number;
  /** A non-blank reason. */
  reason?: boolean;
  /** The department the case goes to (dispatch, redispatch). */
  department?: boolean;
}

/** Where a rule leads: a status, or back to the status the case was suspended from. */
export type Target = Status | 'previous';

/** What a rule does to the case row besides its status. */
export type Effect = 'create' | 'dispatch' | 'close' | 'suspend' | 'resume';

export interface TransitionRule {
  action: Action;
  /** Statuses the action is possible from; empty for 'report', which creates the case (status null). */
  from: readonly Status[];
  to: Target;
  roles: readonly Role[];
  requires?: Requires;
  effect?: Effect;
  label: Label;
}

const CENTRE: readonly Role[] = ['dispatcher', 'admin'];

export const TRANSITIONS: readonly TransitionRule[] = [
  // 1. 信息收集/上报
  { action: 'report', from: [], to: 'reported', roles: ['field', 'dispatcher', 'admin', 'citizen', 'system'], effect: 'create',
    label: { zh: '上报', en: 'Report' } },
  // 2. 案卷建立: 受理 / 作废, 核实, 立案
  { action: 'accept', from: ['reported'], to: 'accepted', roles: CENTRE, label: { zh: '受理', en: 'Accept' } },
  { action: 'reject', from: ['reported', 'accepted', 'verified'], to: 'rejected', roles: CENTRE, requires: { reason: true },
    label: { zh: '作废', en: 'Reject' } },
  { action: 'verify', from: ['accepted'], to: 'verified', roles: ['field'], label: { zh: '核实', en: 'Verify' } },
  { action: 'register', from: ['verified'], to: 'registered', roles: CENTRE, label: { zh: '立案', en: 'Register' } },
  // 3. 任务派遣: the deadline clock starts
  { action: 'dispatch', from: ['registered'], to: 'dispatched', roles: CENTRE, effect: 'dispatch', requires: { department: true },
    label: { zh: '派遣', en: 'Dispatch' } },
  // 4. 任务处置 (also after 返工)
  { action: 'start', from: ['dispatched', 'reworked'], to: 'in_progress', roles: ['handler'],
    label: { zh: '开始处置', en: 'Start work' } },
  // 5. 处置反馈 with result photos
  { action: 'handle', from: ['in_progress'], to: 'handled', roles: ['handler'], requires: { photos: 1 },
    label: { zh: '处置反馈', en: 'Report as handled' } },
  // 6. 核查结案 / 返工
  { action: 'check', from: ['handled'], to: 'checking', roles: ['dispatcher', 'admin', 'system'],
    label: { zh: '申请核查', en: 'Send for check' } },
  { action: 'close', from: ['checking'], to: 'closed', roles: ['field', 'dispatcher', 'admin'], effect: 'close',
    label: { zh: '核查通过结案', en: 'Pass check and close' } },
  { action: 'rework', from: ['checking'], to: 'reworked', roles: ['field', 'dispatcher', 'admin'], requires: { note: true },
    label: { zh: '返工', en: 'Send back for rework' } },
  // 挂账/延期 and its end
  { action: 'suspend', from: ['dispatched', 'in_progress', 'reworked'], to: 'suspended', roles: CENTRE, requires: { reason: true },
    effect: 'suspend', label: { zh: '挂账', en: 'Suspend' } },
  { action: 'resume', from: ['suspended'], to: 'previous', roles: CENTRE, effect: 'resume',
    label: { zh: '恢复', en: 'Resume' } },
  // 回退 and 改派
  { action: 'return', from: ['dispatched'], to: 'returned', roles: ['handler'], requires: { reason: true },
    label: { zh: '回退', en: 'Return as not ours' } },
  { action: 'redispatch', from: ['returned'], to: 'dispatched', roles: CENTRE, effect: 'dispatch', requires: { department: true },
    label: { zh: '改派', en: 'Redispatch' } },
];

const RULES: ReadonlyMap<Action, TransitionRule> = new Map(TRANSITIONS.map((t) => [t.action, t]));

/** The rule of an action (one rule per action). */
export function ruleOf(action: Action): TransitionRule {
  const rule = RULES.get(action);
  if (!rule) throw new MissingInputError(`unknown action ${JSON.stringify(action)}; actions are ${ACTIONS.join(', ')}`);
  return rule;
}

const possibleFrom = (rule: TransitionRule, status: Status | null) =>
  status === null ? rule.from.length === 0 : rule.from.includes(status);

// ---- Errors (each carries its HTTP status; the API shows the message) --------------------------------

/** 409: the action is not possible from the case's current status. */
export class IllegalTransitionError extends ApiError {
  override name = 'IllegalTransitionError';
  constructor(readonly status: Status | null, readonly action: Action, readonly possible: readonly Action[]) {
    const now = possible.length > 0
      ? `possible now: ${possible.join(', ')}`
      : status && FINAL_STATUSES.includes(status) ? `no action is possible: "${status}" is final` : 'no action is possible now';
    super(409, 'conflict', status === null
      ? `cannot "${action}" a case that does not exist yet; ${now}`
      : `cannot "${action}" a case that is "${status}"; ${now}`);
  }
}

/** 403: the role may not take the action, or a field worker is outside the case's grid. */
export class ForbiddenActionError extends ApiError {
  override name = 'ForbiddenActionError';
  constructor(readonly role: Role, readonly action: Action, message: string) {
    super(403, 'forbidden', message);
  }
}

/** 400: a note, photos, reason, deadline or previous status the action needs is missing or unusable. */
export class MissingInputError extends ApiError {
  override name = 'MissingInputError';
  constructor(message: string) {
    super(400, 'bad request', message);
  }
}

// ---- Questions -----------------------------------------------------------------------------------

/** Whether a role may take the action from this status (null: no case yet). Grids are not considered. */
export function can(role: Role, action: Action, status: Status | null): boolean {
  const rule = RULES.get(action);
  return !!rule && rule.roles.includes(role) && possibleFrom(rule, status);
}

/** The actions a role may take from this status, in table order. */
export function availableActions(role: Role, status: Status | null): Action[] {
  return TRANSITIONS.filter((t) => t.roles.includes(role) && possibleFrom(t, status)).map((t) => t.action);
}

/** The actions anyone may take from this status, in table order (what IllegalTransitionError lists). */
export function possibleActions(status: Status | null): Action[] {
  return TRANSITIONS.filter((t) => possibleFrom(t, status)).map((t) => t.action);
}

export interface Actor {
  id: string;
  role: Role;
  /** Unit grid codes (or street/community prefixes) a field worker works in. */
  grids?: readonly string[];
  /** A handler's department (departments.code). */
  department?: string | null;
}

/** Whether a field worker's grids cover the case's grid (choice 9). Other roles are not grid-bound. */
export function inGrids(actor: Actor, gridCode: string | null | undefined): boolean {
  if (actor.role !== 'field') return true;
  const grid = gridCode?.trim();
  if (!grid) return false;
  return (actor.grids ?? []).some((g) => g.trim() !== '' && grid.startsWith(g.trim()));
}

/** Whether a handler's department is the case's (choice 12). Other roles are not department-bound. */
export function inDepartment(actor: Actor, departmentCode: string | null | undefined): boolean {
  if (actor.role !== 'handler') return true;
  return !!actor.department && actor.department === departmentCode;
}

/** The actions that pass or fail a handled case's check, which its handler may not take (choice 13). */
export const CHECK_ACTIONS: readonly Action[] = ['check', 'close', 'rework'];

/** Whether this actor reported the case as handled, so may not check it (choice 13). */
export const handledItself = (actor: Actor, state: Pick<CaseState, 'handled_by'>): boolean =>
  (state.handled_by ?? []).includes(actor.id);

type ScopeState = Pick<CaseState, 'status' | 'grid_code' | 'department_code' | 'handled_by'>;

/** The actions this actor may take on this case: availableActions plus the grid, department and separation checks (for UI buttons). */
export function actionsFor(actor: Actor, state: ScopeState): Action[] {
  return availableActions(actor.role, state.status).filter((a) => a === 'report'
    || (inGrids(actor, state.grid_code) && inDepartment(actor, state.department_code) && !(CHECK_ACTIONS.includes(a) && handledItself(actor, state))));
}

// ---- Applying an action --------------------------------------------------------------------------

export interface CaseState {
  /** null: the case does not exist yet ('report' creates it). */
  status: Status | null;
  grid_code: string | null;
  dispatched_at: Date | null;
  deadline_at: Date | null;
  closed_at?: Date | null;
  /** The item's 处置时限 (case_items.deadline_hours); input.deadlineHours overrides it. */
  deadline_hours?: number | null;
  /** When the case was last suspended: `at` of its latest transition into 'suspended'. */
  suspended_at?: Date | null;
  /** The status it was suspended from: from_status of that transition. */
  suspended_from?: Status | null;
  /** The department it is (or was last) dispatched to. */
  department_code?: string | null;
  /** The actors (ids) of its transitions into 'handled' (choice 13). */
  handled_by?: readonly string[];
}

export interface ActionInput {
  note?: string;
  photos?: readonly string[];
  reason?: string;
  at: Date;
  deadlineHours?: number;
  previousStatus?: Status;
  /** dispatch, redispatch: the department the case goes to (the API checks that it exists). */
  department?: string;
}

/** Columns of the cases row to update besides status (only those the action changes). */
export interface CasePatch {
  reported_at?: Date;
  dispatched_at?: Date;
  deadline_at?: Date;
  closed_at?: Date;
  department_code?: string;
  updated_at: Date;
}

/** A case_transitions row (without id and case_id). */
export interface TransitionRecord {
  from_status: Status | null;
  to_status: Status;
  actor: string;
  at: Date;
  note: string | null;
  photos: string[];
}

export interface ActionResult {
  action: Action;
  status: Status;
  patch: CasePatch;
  transition: TransitionRecord;
}

const HOUR_MS = 3_600_000;

/** The deadline: dispatch + deadlineHours (calendar hours, choice 8). */
export function deadlineAt(dispatchedAt: Date, deadlineHours: number): Date {
  if (!(deadlineHours > 0) || !Number.isFinite(deadlineHours)) {
    throw new MissingInputError(`the deadline needs a positive number of hours, not ${String(deadlineHours)}`);
  }
  return new Date(dispatchedAt.getTime() + deadlineHours * HOUR_MS);
}

const blank = (s: string | undefined) => s === undefined || s.trim() === '';

/**
 * Checks and applies one action. Order of checks: a role that may never take the action → 403; the action
 * not possible from the status → 409 (listing what is); a field worker outside the case's grids, a handler
 * outside its department, or the case's own handler checking it → 403; missing input → 400.
 */
export function applyAction(state: CaseState, action: Action, actor: Actor, input: ActionInput): ActionResult {
  const rule = ruleOf(action);
  if (!rule.roles.includes(actor.role)) {
    throw new ForbiddenActionError(actor.role, action,
      `a ${actor.role} may not "${action}" a case; "${action}" is for: ${rule.roles.join(', ')}`);
  }
  if (!possibleFrom(rule, state.status)) throw new IllegalTransitionError(state.status, action, possibleActions(state.status));
  if (action !== 'report' && !inGrids(actor, state.grid_code)) {
    throw new ForbiddenActionError(actor.role, action, state.grid_code?.trim()
      ? `case grid ${state.grid_code.trim()} is outside the grids assigned to you; field workers act only on cases in their own grids`
      : 'the case has no unit grid, so no field worker is assigned to it; ask the command centre');
  }
  if (action !== 'report' && !inDepartment(actor, state.department_code)) {
    throw new ForbiddenActionError(actor.role, action, 'the case is not dispatched to your department; handlers act only on their own department\'s cases');
  }
  if (CHECK_ACTIONS.includes(action) && handledItself(actor, state)) {
    throw new ForbiddenActionError(actor.role, action, `you reported this case as handled, so you may not "${action}" it: another account checks the work`);
  }
  const at = input.at;
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new MissingInputError('the time of the action ("at") is missing or invalid');

  const req = rule.requires ?? {};
  if (req.note && blank(input.note)) throw new MissingInputError(`"${action}" needs a note saying what is wrong`);
  if (req.reason && blank(input.reason)) throw new MissingInputError(`"${action}" needs a reason`);
  if (req.department && blank(input.department)) throw new MissingInputError(`"${action}" needs the department the case goes to (department_code)`);
  const photos = (input.photos ?? []).filter((p) => typeof p === 'string' && p.trim() !== '');
  if (req.photos && photos.length < req.photos) {
    throw new MissingInputError(`"${action}" needs at least ${req.photos} result photo${req.photos > 1 ? 's' : ''}; got ${photos.length}`);
  }

  const patch: CasePatch = { updated_at: at };
  let to: Status;
  if (rule.to === 'previous') {
    const previous = input.previousStatus ?? state.suspended_from ?? undefined;
    const suspend = ruleOf('suspend');
    if (!previous) throw new MissingInputError('"resume" needs the status the case was suspended from (previousStatus)');
    if (!suspend.from.includes(previous)) {
      throw new MissingInputError(`"resume" cannot go back to "${previous}": a case is suspended only from ${suspend.from.join(', ')}`);
    }
    to = previous;
  } else {
    to = rule.to;
  }

  switch (rule.effect) {
    case 'create':
      patch.reported_at = at;
      break;
    case 'dispatch': {
      const hours = input.deadlineHours ?? state.deadline_hours ?? undefined;
      if (hours === undefined) throw new MissingInputError(`"${action}" needs the item's deadline in hours (deadlineHours)`);
      patch.dispatched_at = at;
      patch.deadline_at = deadlineAt(at, hours);
      patch.department_code = input.department!.trim();
      break;
    }
    case 'close':
      patch.closed_at = at;
      break;
    case 'resume':
      // Suspended time does not count (choice 8): the deadline moves later by the time spent suspended.
      if (state.deadline_at) {
        const since = state.suspended_at;
        if (!since) throw new MissingInputError('"resume" needs the time the case was suspended (suspended_at) to move its deadline');
        const paused = at.getTime() - since.getTime();
        if (paused < 0) throw new MissingInputError('"resume" is dated before the suspension it ends');
        patch.deadline_at = new Date(state.deadline_at.getTime() + paused);
      }
      break;
    case 'suspend':
    case undefined:
      break;
  }

  const noteParts = [input.reason, input.note].filter((s): s is string => !blank(s)).map((s) => s.trim());
  return {
    action,
    status: to,
    patch,
    transition: {
      from_status: state.status,
      to_status: to,
      actor: actor.id,
      at,
      note: noteParts.length > 0 ? noteParts.join('\n') : null,
      photos,
    },
  };
}

/** The state after a result: what the API would read back from the row and its transitions. */
export function stateAfter(state: CaseState, result: ActionResult): CaseState {
  const { dispatched_at, deadline_at, closed_at, department_code } = result.patch;
  const next: CaseState = { ...state, status: result.status };
  if (department_code) next.department_code = department_code;
  if (result.status === 'handled') next.handled_by = [...(state.handled_by ?? []), result.transition.actor];
  if (dispatched_at) next.dispatched_at = dispatched_at;
  if (deadline_at) next.deadline_at = deadline_at;
  if (closed_at) next.closed_at = closed_at;
  if (result.status === 'suspended') {
    next.suspended_at = result.transition.at;
    next.suspended_from = result.transition.from_status;
  }
  return next;
}

// ---- Deadlines -----------------------------------------------------------------------------------

export interface Overdue {
  /** An open case past its deadline (a suspended one only if it was already late when suspended). */
  overdue: boolean;
  /** A closed case closed after its deadline. */
  closedLate: boolean;
  /** How late (h) when overdue or closedLate, else null. */
  hoursLate: number | null;
}

/** The same rule as case_is_overdue() in SQL (server/db/functions/case_deadlines.sql). */
export function isOverdue(state: CaseState, now: Date): Overdue {
  const none: Overdue = { overdue: false, closedLate: false, hoursLate: null };
  const deadline = state.deadline_at;
  if (!deadline || state.status === null || state.status === 'rejected') return none;
  if (state.status === 'closed') {
    if (!state.closed_at || state.closed_at.getTime() <= deadline.getTime()) return none;
    return { overdue: false, closedLate: true, hoursLate: (state.closed_at.getTime() - deadline.getTime()) / HOUR_MS };
  }
  // The clock stands still while suspended: compare with the moment it stopped (or now, if that is sooner).
  const stopped = state.status === 'suspended' ? state.suspended_at : null;
  const ref = stopped && stopped.getTime() < now.getTime() ? stopped : now;
  if (ref.getTime() <= deadline.getTime()) return none;
  return { overdue: true, closedLate: false, hoursLate: (ref.getTime() - deadline.getTime()) / HOUR_MS };
}

// ---- Open311 GeoReport v2 façade (数字城管 status → open/closed) ------------------------------------------------

/** closed = 结案 or 作废; everything from 受理 to 核查 is open. */
export function open311Status(status: Status): 'open' | 'closed' {
  return FINAL_STATUSES.includes(status) ? 'closed' : 'open';
}

/**
 * Citizen-facing text per status (the generic part of status_notes; the API may append the 处置反馈 note).
 * Internal steps are told plainly but without blame: a returned case is "being reassigned".
 */
export const OPEN311_STATUS_NOTES: Record<Status, Label> = {
  reported: { zh: '已收到您的上报，等待受理', en: 'Report received, awaiting acceptance' },
  accepted: { zh: '已受理，等待现场核实', en: 'Accepted, awaiting on-site verification' },
  rejected: { zh: '经审核不予立案', en: 'Not taken up after review' },
  verified: { zh: '现场核实属实，等待立案', en: 'Verified on site, awaiting registration' },
  registered: { zh: '已立案，等待派遣处置部门', en: 'Registered, awaiting dispatch to the responsible department' },
  dispatched: { zh: '已派遣至处置部门', en: 'Dispatched to the responsible department' },
  in_progress: { zh: '处置部门正在处理', en: 'The responsible department is working on it' },
  handled: { zh: '处置部门已反馈处理结果，等待核查', en: 'Reported as fixed, awaiting a check' },
  checking: { zh: '正在现场核查处理结果', en: 'The fix is being checked on site' },
  closed: { zh: '核查通过，已结案', en: 'Fix confirmed, case closed' },
  reworked: { zh: '核查未通过，已要求返工', en: 'The fix did not pass the check and is being redone' },
  suspended: { zh: '需协调处理，暂时挂起', en: 'On hold pending coordination' },
  returned: { zh: '正在重新指派处置部门', en: 'Being reassigned to the responsible department' },
};

/** What a citizen reads for the steps a named department takes (when the case names one). */
const DEPARTMENT_NOTES: Partial<Record<Status, (d: Label) => Label>> = {
  dispatched: (d) => ({ zh: `已派遣至${d.zh}`, en: `Dispatched to ${d.en}` }),
  in_progress: (d) => ({ zh: `${d.zh}正在处理`, en: `${d.en} is working on it` }),
  handled: (d) => ({ zh: `${d.zh}已反馈处理结果，等待核查`, en: `${d.en} reported it as fixed, awaiting a check` }),
  reworked: (d) => ({ zh: `核查未通过，已要求${d.zh}返工`, en: `The fix did not pass the check; ${d.en} is redoing it` }),
};

/** The status text, naming the department the case is dispatched to where the step is theirs. */
export function open311StatusNotes(status: Status, department?: Label | null): Label {
  const named = department ? DEPARTMENT_NOTES[status] : undefined;
  return named && department ? named(department) : OPEN311_STATUS_NOTES[status];
}
