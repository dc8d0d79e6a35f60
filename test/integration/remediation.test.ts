// The remediation loop through the HTTP API with real accounts: a hazard confirmed (field, in their grid),
// a case raised from it with the fitting catalogue item, the case's closure fixing it and taking its
// defect out of the reach's score, a later inspection without the defect verifying it (one with it reopening
// another); a misconnection's case on E0713. Every step in the history and the audit log; 409 and 403s.
import { beforeAll, describe, expect, it } from 'vitest';
import { writeInspections } from '../../server/importers/layers/inspection-write.ts';
import type { PlannedInspection } from '../../server/importers/layers/inspection-plan.ts';
import { loginAs, useTestApp } from '../helpers/app.ts';

const ctx = useTestApp();
const rows = async (sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows;
type H = Record<string, string>;
const call = async (method: string, path: string, headers: H = {}, body?: unknown) => {
  const res = await fetch(ctx.app.baseUrl + path, {
    method, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
};
async function waitFor(what: string, ok: () => Promise<boolean>) {
  for (let i = 0; i < 100; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let planner: { headers: H }; let field: { headers: H }; let elsewhere: { headers: H }; let dispatcher: { headers: H };
// A seeded hazard on its reach's latest inspection, with other hazards of that reach out of the way.
let hz: { id: number; pipe_id: number; code: string; grade: number; grid_code: string; distance_m: number; direction: string; length_m: number };

beforeAll(async () => {
  [hz] = await rows(`
    SELECT h.id, h.pipe_id, h.code, h.grade, trim(h.grid_code) AS grid_code, d.distance_m, i.direction, p.length_m
    FROM hazards h JOIN defects d ON d.id = h.defect_id JOIN inspections i ON i.id = d.inspection_id JOIN pipes p ON p.id = h.pipe_id
    JOIN pipe_condition c ON c.pipe_id = h.pipe_id AND c.inspection_id = i.id
    WHERE h.grid_code IS NOT NULL AND h.code = 'PL' AND c.f > 0
      AND (SELECT count(*) FROM hazards o WHERE o.pipe_id = h.pipe_id) = 1 ORDER BY h.id LIMIT 1`);
  await ctx.db.query(`UPDATE hazards SET status = 'found' WHERE id = $1`, [hz.id]);
  planner = await loginAs(ctx, 'planner');
  field = await loginAs(ctx, 'field', [hz.grid_code]);
  elsewhere = await loginAs(ctx, 'field', ['420106099099099']);
  dispatcher = await loginAs(ctx, 'dispatcher');
});

const step = (who: { headers: H }, id: number, action: string, body: unknown = {}, layer = 'hazards') =>
  call('POST', `/api/${layer}/${id}/actions/${action}`, who.headers, body);

describe('a hazard: confirmed, a case raised, closed, verified', () => {
  it('found: the planner may confirm or reject; a step from the wrong status is a 409 that says what is possible; roles and grids are checked', async () => {
    const r = (await call('GET', `/api/hazards/${hz.id}/remediation`, planner.headers)).body;
    expect(r).toMatchObject({ layer: 'hazards', id: hz.id, status: 'found', history: [], actions: ['confirm', 'reject'], can_raise_case: false, cases: [] });
    expect(r.case_items.map((i: { code: string }) => i.code)).toEqual(['E0719', 'E0710', 'E0720', 'E0726']);
    // The seeded hazard's own description: "破裂 3级，管段 … 距起点 … m".
    expect(r.description).toMatch(new RegExp(`^管网隐患 #${hz.id}：破裂 ${hz.grade}级，管段 `));

    const fix = await step(planner, hz.id, 'fix');
    expect(fix.status).toBe(409);
    expect(fix.body.message).toBe('cannot "fix" an item that is "found"; possible now: confirm, reject');
    expect((await call('POST', `/api/hazards/${hz.id}/case`, planner.headers, {})).status).toBe(409);
    expect((await step(dispatcher, hz.id, 'confirm')).status).toBe(403);
    expect((await step(elsewhere, hz.id, 'confirm')).status).toBe(403);
    expect((await step(planner, hz.id, 'reject')).status).toBe(400); // needs a note
    expect((await step(planner, hz.id, 'nonsense')).status).toBe(400);
    expect((await call('GET', `/api/hazards/999999999/remediation`, planner.headers)).status).toBe(404);
    expect((await rows(`SELECT status FROM hazards WHERE id = $1`, [hz.id]))[0].status).toBe('found');

    const ok = await step(field, hz.id, 'confirm');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'confirmed', actions: [], history: [{ action: 'confirm', from_status: 'found', to_status: 'confirmed', role: 'field', case_id: null }] });
    expect((await call('GET', `/api/hazards/${hz.id}/remediation`, planner.headers)).body).toMatchObject({ actions: ['reject', 'start_repair'], can_raise_case: true });
  });

  let caseId: number;
  it('a case raised from it: the fitting item (PL → E0719), its position and description, linked; the hazard in repair; one open case at a time', async () => {
    const raised = await call('POST', `/api/hazards/${hz.id}/case`, planner.headers, {});
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);
    caseId = raised.body.case.id;
    expect(raised.body.case).toMatchObject({ status: 'reported', item_code: 'E0719' });
    expect(raised.body.remediation).toMatchObject({ status: 'in_repair', can_raise_case: false, cases: [{ id: caseId, status: 'reported' }] });
    expect(raised.body.remediation.history.at(-1)).toMatchObject({ action: 'start_repair', to_status: 'in_repair', case_id: caseId, case_no: raised.body.case.case_no });
    const [c] = await rows(`SELECT c.hazard_id, c.item_code, c.class_code, c.description, c.grid_code, ST_Equals(c.geom, h.geom) AS same_place
      FROM cases c JOIN hazards h ON h.id = c.hazard_id WHERE c.id = $1`, [caseId]);
    expect(c).toMatchObject({ hazard_id: hz.id, item_code: 'E0719', class_code: 'event', description: raised.body.remediation.description, same_place: true });
    expect(c.grid_code.trim()).toBe(hz.grid_code);
    expect((await call('POST', `/api/hazards/${hz.id}/case`, planner.headers, {})).status).toBe(409);
    expect((await call('POST', `/api/hazards/${hz.id}/case`, field.headers, {})).status).toBe(403);
  });

  it('the case closed: the hazard fixed "by case N", its defect out of the reach\'s score; all audited', async () => {
    const before = (await rows(`SELECT f, ri FROM pipe_condition WHERE pipe_id = $1`, [hz.pipe_id]))[0];
    // The loop up to 核查 is the case workflow's own (tested with cases); here it ends at the check.
    await ctx.db.query(`UPDATE cases SET status = 'checking' WHERE id = $1`, [caseId]);
    const closed = await call('POST', `/api/cases/${caseId}/actions/close`, dispatcher.headers, {});
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const r = (await call('GET', `/api/hazards/${hz.id}/remediation`, planner.headers)).body;
    expect(r.status).toBe('fixed');
    expect(r.history.map((s: { action: string }) => s.action)).toEqual(['confirm', 'start_repair', 'fix']);
    expect(r.history[2]).toMatchObject({ role: 'system', case_id: caseId, note: expect.stringContaining('结案') });
    await waitFor('the reach rescored', async () =>
      (await rows(`SELECT repaired FROM pipe_condition WHERE pipe_id = $1`, [hz.pipe_id]))[0].repaired.some((d: { hazard_id: number }) => d.hazard_id === hz.id));
    const after = (await rows(`SELECT f, ri FROM pipe_condition WHERE pipe_id = $1`, [hz.pipe_id]))[0];
    expect(after.f).toBeLessThan(before.f);
    const audit = await rows(`SELECT action, role FROM audit_log WHERE entity = 'hazard' AND entity_id = $1 ORDER BY id`, [String(hz.id)]);
    expect(audit.map((a) => a.action)).toEqual(['hazard.confirm', 'hazard.raise_case', 'hazard.fix']);
  });

  it('a later inspection of the reach without the defect verifies it; the reach scores on what it shows', async () => {
    const plan = {
      pipe_id: hz.pipe_id, pipe_code: 'x', from_code: 'a', to_code: 'b', matched_by: 'pipe_code', inspected_at: '2099-01-02', method: 'CCTV',
      direction: 'downstream', direction_from: 'default', inspected_length_m: null, operator: null, rows: [1],
      defects: [{ row: 1, code: 'CK', grade: 1, distance_m: 1, length_m: null, clock_from: null, clock_to: null, note: null }],
    } as unknown as PlannedInspection;
    await ctx.db.query('BEGIN');
    const w = await writeInspections(ctx.db, [plan]);
    await ctx.db.query('COMMIT');
    expect(w.hazards).toMatchObject({ verified: 1, reopened: 0 });
    const r = (await call('GET', `/api/hazards/${hz.id}/remediation`, planner.headers)).body;
    expect(r.status).toBe('verified');
    expect(r.history.at(-1)).toMatchObject({ action: 'verify', role: 'system', actor: 'inspection import' });
    expect((await rows(`SELECT inspected_at::text AS at, f FROM pipe_condition WHERE pipe_id = $1`, [hz.pipe_id]))[0]).toEqual({ at: '2099-01-02', f: 0.5 });
  });

  it('a verified hazard reopened (the check failed) goes back in repair; a later inspection showing the defect again reopens a fixed one on the new defect', async () => {
    expect((await step(field, hz.id, 'reopen')).status).toBe(400);
    const back = await step(field, hz.id, 'reopen', { note: '复测仍见裂缝' });
    expect(back.body).toMatchObject({ status: 'in_repair' });
    expect((await step(planner, hz.id, 'fix')).body.status).toBe('fixed');
    await ctx.db.query(`UPDATE remediation_steps SET at = '2099-01-01' WHERE hazard_id = $1 AND action = 'fix'`, [hz.id]);
    // Its defect put at 20 m of the 2099-01-02 survey: the next one, surveyed upstream, sees a PL 21 m from the upstream end (1 m off).
    const { rows: [insp] } = await ctx.db.query(`SELECT id FROM inspections WHERE pipe_id = $1 AND inspected_at = '2099-01-02'`, [hz.pipe_id]);
    const { rows: [pl] } = await ctx.db.query(`INSERT INTO defects (inspection_id, code, grade, distance_m) VALUES ($1, 'PL', 3, 20) RETURNING id`, [insp.id]);
    await ctx.db.query(`UPDATE hazards SET defect_id = $2 WHERE id = $1`, [hz.id, pl.id]);
    const plan = {
      pipe_id: hz.pipe_id, pipe_code: 'x', from_code: 'a', to_code: 'b', matched_by: 'pipe_code', inspected_at: '2099-03-04', method: 'CCTV',
      direction: 'upstream', direction_from: 'default', inspected_length_m: null, operator: null, rows: [1],
      defects: [{ row: 1, code: 'PL', grade: 3, distance_m: hz.length_m - 21, length_m: null, clock_from: null, clock_to: null, note: null }],
    } as unknown as PlannedInspection;
    await ctx.db.query('BEGIN');
    const w = await writeInspections(ctx.db, [plan]);
    await ctx.db.query('COMMIT');
    expect(w.hazards).toMatchObject({ verified: 0, reopened: 1 });
    const [h] = await rows(`SELECT h.status, i.inspected_at::text AS at FROM hazards h JOIN defects d ON d.id = h.defect_id JOIN inspections i ON i.id = d.inspection_id WHERE h.id = $1`, [hz.id]);
    expect(h).toEqual({ status: 'in_repair', at: '2099-03-04' });
    // In repair, its defect scores again: PL3 (5).
    expect((await rows(`SELECT f FROM pipe_condition WHERE pipe_id = $1`, [hz.pipe_id]))[0].f).toBe(5);
  });
});

describe('a misconnection', () => {
  it('a case raised on E0713 雨污混接; its closure fixes the misconnection', async () => {
    const [m] = await rows(`SELECT id FROM misconnections WHERE grid_code IS NOT NULL ORDER BY id LIMIT 1`);
    await ctx.db.query(`UPDATE misconnections SET status = 'found' WHERE id = $1`, [m.id]);
    expect((await step(planner, m.id, 'confirm', {}, 'misconnections')).body.status).toBe('confirmed');
    const wrong = await call('POST', `/api/misconnections/${m.id}/case`, planner.headers, { item_code: 'E0701' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toMatch(/"E0701" does not fit a misconnection; choose one of E0713/);
    const raised = await call('POST', `/api/misconnections/${m.id}/case`, planner.headers, {});
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);
    expect(raised.body.case.item_code).toBe('E0713');
    expect(raised.body.remediation.description).toMatch(/^雨污混接点 #\d+：/);
    expect((await call('POST', `/api/misconnections/${m.id}/case`, planner.headers, {})).status).toBe(409);
    await ctx.db.query(`UPDATE cases SET status = 'checking' WHERE id = $1`, [raised.body.case.id]);
    expect((await call('POST', `/api/cases/${raised.body.case.id}/actions/close`, dispatcher.headers, {})).status).toBe(200);
    const r = (await call('GET', `/api/misconnections/${m.id}/remediation`, planner.headers)).body;
    expect(r).toMatchObject({ status: 'fixed', can_raise_case: false, cases: [{ status: 'closed', item_code: 'E0713' }] });
    expect(r.history.map((s: { action: string }) => s.action)).toEqual(['confirm', 'start_repair', 'fix']);
  });
});
