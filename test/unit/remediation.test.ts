// The remediation flow of hazards and misconnections (server/domain/remediation.ts): each step from where it
// is possible, by whom, with what; raising a case and a case's closure; what a later inspection says.
import { describe, expect, it } from 'vitest';
import { REMEDIATION_STATUSES, REPAIRED_STATUSES } from '../../common/enums.ts';
import {
  ACTIONS, applyStep, caseItemsFor, downstreamAt, IllegalStepError, isRepaired, laterInspectionVerdict, possibleSteps, StepForbiddenError,
  StepInputError, stepOnCaseClosed, stepOnRaise, stepsFor, STEPS, type Actor, type Status,
} from '../../server/domain/remediation.ts';

const planner: Actor = { id: 'p', role: 'planner' };
const field: Actor = { id: 'f', role: 'field', grids: ['420106001'] };
const GRID = '420106001002003';

describe('the status flow', () => {
  it('found → confirmed → in_repair → fixed → verified, one step each', () => {
    let s: Status = 'found';
    for (const [action, to] of [['confirm', 'confirmed'], ['start_repair', 'in_repair'], ['fix', 'fixed'], ['verify', 'verified']] as const) {
      const r = applyStep(s, GRID, action, planner);
      expect(r).toEqual({ action, from: s, to, note: null });
      s = r.to;
    }
  });

  it('back steps: reject and restore, reopen from fixed or verified, each with a note', () => {
    expect(applyStep('confirmed', GRID, 'reject', planner, ' 现场无此问题 ')).toMatchObject({ to: 'rejected', note: '现场无此问题' });
    expect(applyStep('rejected', GRID, 'restore', planner, '复查属实').to).toBe('found');
    expect(applyStep('verified', GRID, 'reopen', field, '复测仍渗漏').to).toBe('in_repair');
    expect(applyStep('fixed', GRID, 'reopen', planner, '验收不通过').to).toBe('in_repair');
    for (const a of ['reject', 'restore', 'reopen'] as const) {
      const from = STEPS.find((s) => s.action === a)!.from[0];
      expect(() => applyStep(from, GRID, a, planner, '  ')).toThrow(StepInputError);
    }
  });

  it('409 from a status the step does not start from, naming what is possible', () => {
    const err = (() => { try { applyStep('found', GRID, 'fix', planner); } catch (e) { return e as IllegalStepError; } })()!;
    expect(err).toBeInstanceOf(IllegalStepError);
    expect(err.statusCode).toBe(409);
    expect(err.message).toBe('cannot "fix" an item that is "found"; possible now: confirm, reject');
    expect(possibleSteps('in_repair')).toEqual(['fix']);
    expect(possibleSteps('verified')).toEqual(['reopen']);
  });

  it('who: planner and admin own it; field confirms and verifies in their grids only; commander and dispatcher read', () => {
    expect(stepsFor(field, 'found', GRID)).toEqual(['confirm']);
    expect(stepsFor(field, 'fixed', GRID)).toEqual(['verify', 'reopen']);
    expect(stepsFor(field, 'found', '420106002001001')).toEqual([]);
    expect(() => applyStep('found', '420106002001001', 'confirm', field)).toThrow(/outside the grids/);
    expect(() => applyStep('confirmed', GRID, 'start_repair', field)).toThrow(StepForbiddenError);
    expect(stepsFor({ id: 'a', role: 'admin' }, 'confirmed', null)).toEqual(['reject', 'start_repair']);
    for (const role of ['commander', 'dispatcher', 'citizen'] as const) {
      for (const s of REMEDIATION_STATUSES) expect(stepsFor({ id: 'x', role }, s, GRID)).toEqual([]);
    }
  });

  it('every status but none is reachable, and every action is in the table once', () => {
    expect(STEPS.map((s) => s.action)).toEqual([...ACTIONS]);
    const reachable = new Set(['found', ...STEPS.map((s) => s.to)]);
    expect([...reachable].sort()).toEqual([...REMEDIATION_STATUSES].sort());
    expect(REMEDIATION_STATUSES.filter(isRepaired)).toEqual([...REPAIRED_STATUSES]);
  });
});

describe('cases raised from an item', () => {
  it('only from confirmed (which goes into repair) or in_repair; the closure fixes one still in repair', () => {
    expect(stepOnRaise('confirmed')).toBe('start_repair');
    expect(stepOnRaise('in_repair')).toBeNull();
    expect(() => stepOnRaise('found')).toThrow(/confirm it first/);
    expect(() => stepOnRaise('fixed')).toThrow(/confirmed or in_repair/);
    expect(stepOnCaseClosed('in_repair')).toBe('fix');
    expect(stepOnCaseClosed('verified')).toBeNull();
  });

  it('the catalogue items by kind and defect: E0713 for a misconnection, E0719/E0720/E0710/E0726 for hazards', () => {
    expect(caseItemsFor('misconnection', null)[0]).toBe('E0713');
    expect(caseItemsFor('hazard', 'PL')).toEqual(['E0719', 'E0710', 'E0720', 'E0726']);
    expect(caseItemsFor('hazard', 'CJ')[0]).toBe('E0720');
    expect(caseItemsFor('hazard', 'SG')[0]).toBe('E0710');
    expect(caseItemsFor('hazard', 'AJ')[0]).toBe('E0726');
  });
});

describe('a later inspection', () => {
  const hz = { status: 'fixed' as Status, code: 'PL', atM: 12.5 };
  it('no same defect near → verify; the same code within 2 m → reopen on it; other codes or farther do not count', () => {
    expect(laterInspectionVerdict(hz, [{ id: 1, code: 'CK', atM: 12.5 }, { id: 2, code: 'PL', atM: 15 }])).toEqual({ action: 'verify' });
    expect(laterInspectionVerdict(hz, [{ id: 2, code: 'PL', atM: 14 }, { id: 3, code: 'PL', atM: 11.9 }])).toEqual({ action: 'reopen', defectId: 3 });
    expect(laterInspectionVerdict({ ...hz, status: 'verified' }, [])).toBeNull();
    expect(laterInspectionVerdict({ ...hz, status: 'verified' }, [{ id: 4, code: 'PL', atM: 13 }])).toEqual({ action: 'reopen', defectId: 4 });
    expect(laterInspectionVerdict({ ...hz, status: 'in_repair' }, [])).toBeNull();
  });
  it('an upstream survey measures from the other end', () => {
    expect(downstreamAt(10, 'upstream', 40)).toBe(30);
    expect(downstreamAt(10, 'downstream', 40)).toBe(10);
  });
});
