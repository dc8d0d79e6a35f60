import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rankDepartments, type DepartmentScope } from '../../server/domain/cases/dispatch.ts';

const DEPARTMENTS: DepartmentScope[] = [
  { code: 'CGZF', items: ['C01', 'E05', 'E06'], grids: ['420106'] },
  { code: 'RQGS', items: ['C0111', 'E0403'], grids: ['420106'] },
  { code: 'SWJ', items: ['C07', 'E07'], grids: ['420106'] },
  { code: 'ZD-420106001', items: ['E05', 'E06'], grids: ['420106001'] },
  { code: 'ZD-420106002', items: ['E05', 'E06'], grids: ['420106002'] },
  { code: 'OLD', active: false, items: ['C0111'], grids: ['420106'] },
];

describe('dispatch ranking', () => {
  it('an item scope beats a subclass scope: the gas company first for a gas cover, then the bureau', () => {
    const r = rankDepartments(DEPARTMENTS, 'C0111', '420106001001001');
    expect(r.map((s) => s.code)).toEqual(['RQGS', 'CGZF']);
    expect(r[0]).toMatchObject({ item_match: 'item', area_match: 'district', item_scope: 'C0111', area_scope: '420106' });
    expect(r[1]).toMatchObject({ item_match: 'subclass', item_scope: 'C01' });
  });

  it('for the same subclass the street\'s squad comes before the district bureau; another street\'s squad does not fit', () => {
    const r = rankDepartments(DEPARTMENTS, 'E0601', '420106001002003');
    expect(r.map((s) => s.code)).toEqual(['ZD-420106001', 'CGZF']);
    expect(r[0].area_match).toBe('street');
  });

  it('no fit, no grid, inactive, and a stable order', () => {
    expect(rankDepartments(DEPARTMENTS, 'E1201', '420106001002003')).toEqual([]);
    expect(rankDepartments(DEPARTMENTS, 'E0601', null).map((s) => s.code)).toEqual(['CGZF']);
    expect(rankDepartments(DEPARTMENTS, 'C0111', null).map((s) => s.code)).not.toContain('OLD');
    const tie = rankDepartments([{ code: 'B', items: ['C07'], grids: ['420106'] }, { code: 'A', items: ['C07'], grids: ['420106'] }], 'C0701', '420106001001001');
    expect(tie.map((s) => s.code)).toEqual(['A', 'B']);
  });

  it('the migration\'s departments cover every catalogue subclass at district level', () => {
    const sql = readFileSync(new URL('../../server/db/migrations/026_departments.sql', import.meta.url), 'utf8');
    const catalogue = readFileSync(new URL('../../server/db/migrations/006_case_catalogue.sql', import.meta.url), 'utf8');
    const subclasses = [...catalogue.matchAll(/\('([CE][0-9]{2})', '(?:component|event)'/g)].map((m) => m[1]);
    const scopes = [...sql.matchAll(/\('([A-Z]+)', '([CE][0-9]{2,4})'\)/g)].map((m) => m[2]);
    expect(subclasses.length).toBe(24);
    for (const sc of subclasses) expect(scopes, sc).toContain(sc);
  });
});
