// Pipe hazards (隐患, table hazards) from a ledger: a CJJ 181 defect (code or Chinese name) with a grade the
// defect has, on a reach named by its code or, failing that, the nearest reach within hazard_near_m() (30 m) of the hazard's
// position; a hazard with a code and no position is put at its reach's midpoint. Its grid follows from
// its position (the table's trigger).
import { checkDefectGrade, parseDefectCode, parseGrade } from '../shapes/codes.ts';
import { TARGETS } from '../shapes/targets/index.ts';
import { text } from './checks.ts';
import { keyedTable } from './keyed-table.ts';
import { ledgerKey, placeOf } from './ledger-key.ts';
import { nearestPipe, resolveRef } from './refs.ts';
import { accept, refuse, type LayerModule } from './types.ts';

const table = keyedTable({
  table: 'hazards', key: 'ledger_code', geom: 's.geom',
  columns: [
    { name: 'pipe_id', sql: 'integer' },
    { name: 'code', sql: 'text' },
    { name: 'grade', sql: 'smallint' },
    // A ledger row without a status is a hazard on the list, awaiting repair (the former 'open').
    { name: 'status', sql: 'text', insertDefault: `'confirmed'` },
    { name: 'found_at', sql: 'date', insertDefault: `(now() AT TIME ZONE 'Asia/Shanghai')::date` },
    { name: 'description', sql: 'text' },
  ],
});

export const hazards: LayerModule = {
  layer: 'hazards',
  target: TARGETS.hazards,
  geometry: 'point',
  positionOptional: true,
  rawFields: ['grade'],
  ...table,
  stage: [...table.stage, { name: 'pipe_code', sql: 'text' }],
  row({ values: v, raw, point }) {
    const defect = parseDefectCode(v.code ?? v.defect_name);
    if (!defect.ok) return refuse(`unknown defect: ${defect.reason}`);
    const grade = parseGrade(raw.grade);
    if (!grade.ok) return refuse(`value out of range: ${grade.reason}`);
    const mismatch = checkDefectGrade(defect.value, grade.value);
    if (mismatch) return refuse(`value out of range: ${mismatch}`);
    if (v.pipe_code === null && !point) return refuse('the hazard has neither a pipe code (管段编号) nor a position');
    const key = ledgerKey(v.hazard_code, [placeOf(v.pipe_code, point), defect.value.code, v.found_at]);
    return accept(key, {
      pipe_code: text(v.pipe_code), code: defect.value.code, grade: grade.value, status: v.status, found_at: v.found_at, description: text(v.description),
    });
  },
  async resolve(tx) {
    await resolveRef(tx, { code: 'pipe_code', id: 'pipe_id', table: 'pipes', what: 'pipe' });
    await nearestPipe(tx);
    await tx.query(`UPDATE import_rows SET reason = format('no pipe within %s m of the hazard: give its pipe code (管段编号)', hazard_near_m())
                    WHERE reason IS NULL AND pipe_id IS NULL`);
    await tx.query(`UPDATE import_rows s SET geom = (SELECT ST_LineInterpolatePoint(p.geom, 0.5) FROM pipes p WHERE p.id = s.pipe_id) WHERE s.reason IS NULL AND s.geom IS NULL`);
  },
};
