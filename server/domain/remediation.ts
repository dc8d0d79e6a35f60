// The remediation loop of hazards (隐患) and misconnections (雨污混接): one status flow for both, a pure state
// machine like the case workflow (server/domain/cases/). No I/O: server/drainage/remediation.ts reads the row,
// asks these rules, writes the status, its step and the audit row in one transaction.
//
// Choices, each with a unit test:
//  1. found → confirmed → in_repair → fixed → verified. 'confirm' is 核实 (on site or from the footage), so field
//     staff may take it; 'start_repair' and 'fix' are the owner's decisions (planner, admin) or, for 'fix', a
//     case's closure (system). 'verify' (验收) is a check on site or a later inspection: field, planner, admin,
//     system (the inspection import).
//  2. Back steps: 'reject' (误报/不属实) from found or confirmed, with a note; 'restore' undoes a rejection
//     (rejected → found) with a note; 'reopen' from fixed or verified back to in_repair with a note (the
//     verification failed, or a later inspection shows the defect again). Nothing goes back from in_repair
//     to confirmed: a repair stopped half way is still in repair.
//  3. Field staff act only on items in their grids (the case workflow's rule 9, same prefix match); the
//     others are not grid-bound. commander and dispatcher read only.
//  4. A case raised (立案) from an item needs it confirmed or in repair (a found one is confirmed first, so no
//     case is raised on an unchecked report); raising it from confirmed takes the 'start_repair' step. The
//     case's closure takes 'fix' when the item is still in repair; otherwise it changes nothing (someone
//     moved it by hand meanwhile, and their step stands).
//  5. A later inspection of the reach settles a repaired hazard: the same defect code within LATER_SAME_PLACE_M
//     of where it was → 'reopen' (the repair did not hold; the hazard moves to the new defect); none → 'verify'
//     (fixed → verified; a verified one stays). Only inspections dated on or after the repair count.
import { REMEDIATION_STATUSES, REPAIRED_STATUSES, type RemediationStatus } from '../../common/enums.ts';
import { ApiError } from '../http/errors.ts';
import { inGrids, type Role } from './cases/workflow.ts';

export const STATUSES = REMEDIATION_STATUSES;
export type Status = RemediationStatus;
export type { Role };

export const KINDS = ['hazard', 'misconnection'] as const;
export type Kind = (typeof KINDS)[number];

export const ACTIONS = ['confirm', 'reject', 'restore', 'start_repair', 'fix', 'verify', 'reopen'] as const;
export type Action = (typeof ACTIONS)[number];

export interface Label { zh: string; en: string }

export interface StepRule {
  action: Action;
  from: readonly Status[];
  to: Status;
  roles: readonly Role[];
  /** A non-blank note saying why. */
  note?: boolean;
  label: Label;
}

const OWNER: readonly Role[] = ['planner', 'admin'];

export const STEPS: readonly StepRule[] = [
  { action: 'confirm', from: ['found'], to: 'confirmed', roles: [...OWNER, 'field'], label: { zh: '确认', en: 'Confirm' } },
  { action: 'reject', from: ['found', 'confirmed'], to: 'rejected', roles: OWNER, note: true, label: { zh: '判定误报', en: 'Reject as false' } },
  { action: 'restore', from: ['rejected'], to: 'found', roles: OWNER, note: true, label: { zh: '撤销误报', en: 'Restore' } },
  { action: 'start_repair', from: ['confirmed'], to: 'in_repair', roles: OWNER, label: { zh: '开始整改', en: 'Start repair' } },
  { action: 'fix', from: ['in_repair'], to: 'fixed', roles: [...OWNER, 'system'], label: { zh: '整改完成', en: 'Mark fixed' } },
  { action: 'verify', from: ['fixed'], to: 'verified', roles: [...OWNER, 'field', 'system'], label: { zh: '验收通过', en: 'Verify' } },
  { action: 'reopen', from: ['fixed', 'verified'], to: 'in_repair', roles: [...OWNER, 'field', 'system'], note: true,
    label: { zh: '验收不通过', en: 'Reopen (failed)' } },
];

const RULES: ReadonlyMap<Action, StepRule> = new Map(STEPS.map((s) => [s.action, s]));

export const isRepaired = (s: Status) => (REPAIRED_STATUSES as readonly Status[]).includes(s);
/** Still to be dealt with (the SQL remediation_is_open). */
export const isOpen = (s: Status) => s === 'found' || s === 'confirmed' || s === 'in_repair';

export interface Actor {
  /** Account name, or 'system' with what acted (e.g. "case WC…"). */
  id: string;
  role: Role;
  grids?: readonly string[];
}

// ---- Errors ------------------------------------------------------------------------------------------

/** 409: the step is not possible from the item's status. */
export class IllegalStepError extends ApiError {
  override name = 'IllegalStepError';
  constructor(readonly status: Status, readonly action: string, readonly possible: readonly Action[]) {
    super(409, 'conflict', `cannot "${action}" an item that is "${status}"; ${possible.length ? `possible now: ${possible.join(', ')}` : 'no step is possible now'}`);
  }
}

export class StepForbiddenError extends ApiError {
  override name = 'StepForbiddenError';
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

export class StepInputError extends ApiError {
  override name = 'StepInputError';
  constructor(message: string) {
    super(400, 'bad request', message);
  }
}

// ---- Questions ---------------------------------------------------------------------------------------

export function ruleOf(action: Action): StepRule {
  const rule = RULES.get(action);
  if (!rule) throw new StepInputError(`unknown action ${JSON.stringify(action)}; actions are ${ACTIONS.join(', ')}`);
  return rule;
}

/** The steps anyone may take from this status, in table order. */
export function possibleSteps(status: Status): Action[] {
  return STEPS.filter((s) => s.from.includes(status)).map((s) => s.action);
}

/** The steps this actor may take on this item (for the buttons). */
export function stepsFor(actor: Actor, status: Status, gridCode: string | null): Action[] {
  if (!inGrids(actor, gridCode)) return [];
  return STEPS.filter((s) => s.roles.includes(actor.role) && s.from.includes(status)).map((s) => s.action);
}

export interface StepResult {
  action: Action;
  from: Status;
  to: Status;
  note: string | null;
}

/** Checks one step: a role that may never take it → 403; not possible from the status → 409; outside a field worker's grids → 403; a missing note → 400. */
export function applyStep(status: Status, gridCode: string | null, action: Action, actor: Actor, note?: string | null): StepResult {
  const rule = ruleOf(action);
  if (!rule.roles.includes(actor.role)) {
    throw new StepForbiddenError(`a ${actor.role} may not "${action}"; "${action}" is for: ${rule.roles.join(', ')}`);
  }
  if (!rule.from.includes(status)) throw new IllegalStepError(status, action, possibleSteps(status));
  if (!inGrids(actor, gridCode)) {
    throw new StepForbiddenError(gridCode?.trim()
      ? `grid ${gridCode.trim()} is outside the grids assigned to you; field staff act only in their own grids`
      : 'the item is in no unit grid, so no field worker is assigned to it');
  }
  const text = note?.trim() || null;
  if (rule.note && !text) throw new StepInputError(`"${action}" needs a note saying why`);
  return { action, from: status, to: rule.to, note: text };
}

// ---- Cases raised from an item ----------------------------------------------------------------------

/** Who may raise a case (立案) from a hazard or misconnection. */
export const RAISE_ROLES: readonly Role[] = OWNER;
/** Statuses a case may be raised from (choice 4). */
export const RAISE_FROM: readonly Status[] = ['confirmed', 'in_repair'];

/** The step raising a case takes (start_repair from confirmed), or null (already in repair). Throws 409 from elsewhere. */
export function stepOnRaise(status: Status): 'start_repair' | null {
  if (!RAISE_FROM.includes(status)) {
    throw new ApiError(409, 'conflict', `a case is raised only from an item that is ${RAISE_FROM.join(' or ')}; this one is "${status}"${status === 'found' ? ': confirm it first' : ''}`);
  }
  return status === 'confirmed' ? 'start_repair' : null;
}

/** The step a case's closure takes on its item: fix when still in repair, else none (choice 4). */
export const stepOnCaseClosed = (status: Status): 'fix' | null => (status === 'in_repair' ? 'fix' : null);

/**
 * The catalogue items (migration of the case catalogue, E07 排水与水务) that fit, the best first. Misconnections:
 * E0713 雨污混接. Hazards by CJJ 181 defect: structural damage (破裂 变形 腐蚀 错口 起伏 脱节 接口材料脱落 异物穿入
 * 渗漏) → E0719 排水管道破损渗漏; 支管暗接 AJ → E0726 私接排水管; 沉积 结垢 → E0720 管道淤积; 障碍物 残墙坝根
 * 树根 浮渣 → E0710 排水管道堵塞. The others of those four follow, so a planner can choose another.
 */
export function caseItemsFor(kind: Kind, defectCode: string | null): string[] {
  if (kind === 'misconnection') return ['E0713', 'E0726', 'E0715'];
  const first = HAZARD_ITEM[defectCode ?? ''] ?? 'E0719';
  return [first, ...PIPE_ITEMS.filter((i) => i !== first)];
}

const PIPE_ITEMS = ['E0719', 'E0710', 'E0720', 'E0726'];
const HAZARD_ITEM: Record<string, string> = {
  PL: 'E0719', BX: 'E0719', FS: 'E0719', CK: 'E0719', QF: 'E0719', TJ: 'E0719', TL: 'E0719', CR: 'E0719', SL: 'E0719',
  AJ: 'E0726',
  CJ: 'E0720', JG: 'E0720',
  ZW: 'E0710', CQ: 'E0710', SG: 'E0710', FZ: 'E0710',
};

// ---- A later inspection -----------------------------------------------------------------------------

/**
 * How near (m along the reach, both measured downstream) a defect of a later survey must be to be "the same":
 * wider than a same-day correction (1 m), since another crew's distance counter and start point differ.
 */
export const LATER_SAME_PLACE_M = 2;

/** Distance from the reach's upstream end: an upstream survey measures from the other end. */
export const downstreamAt = (distanceM: number, direction: 'downstream' | 'upstream', reachLengthM: number) =>
  direction === 'upstream' ? Math.max(0, reachLengthM - distanceM) : distanceM;

export type InspectionVerdict = { action: 'verify' } | { action: 'reopen'; defectId: number } | null;

/** What a later inspection of its reach says about a repaired hazard (choice 5). */
export function laterInspectionVerdict(
  hazard: { status: Status; code: string; atM: number },
  defects: readonly { id: number; code: string; atM: number }[],
): InspectionVerdict {
  if (!isRepaired(hazard.status)) return null;
  let best: { id: number; gap: number } | null = null;
  for (const d of defects) {
    const gap = Math.abs(d.atM - hazard.atM);
    if (d.code === hazard.code && gap <= LATER_SAME_PLACE_M && (!best || gap < best.gap)) best = { id: d.id, gap };
  }
  if (best) return { action: 'reopen', defectId: best.id };
  return hazard.status === 'fixed' ? { action: 'verify' } : null;
}
