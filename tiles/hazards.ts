// Pipe hazards (隐患): serious CJJ 181 defects located on their reach. Few enough (hundreds) for every zoom.
import { REMEDIATION_STATUSES } from '../common/enums.ts';
import { synthetic, type PropertyDef } from '../server/features/collection-def.ts';
import { pipe } from '../server/features/related-sql.ts';
import { tableLayer } from '../server/tiles/table-layer.ts';

const P = {
  pipe_id: { type: 'integer', title: 'Pipe id' },
  defect_id: { type: 'integer', title: 'Defect id' },
  code: { type: 'string', title: 'CJJ 181 defect code (PL, BX, CJ…)' },
  grade: { type: 'integer', title: 'Grade 1–4' },
  status: { type: 'string', title: 'Status', enum: REMEDIATION_STATUSES },
  found_at: { type: 'date', title: 'Date found' },
  description: { type: 'string', title: 'Description' },
  synthetic,
} satisfies Record<string, PropertyDef>;

export default tableLayer({
  id: 'hazards',
  name: { zh: '管网隐患', en: 'Pipe hazards' },
  description: 'Defects that need action (隐患), located on their reach: CJJ 181 defect code, kind and grade.',
  from: 'hazards h JOIN defect_codes c ON c.code = h.code',
  geomColumn: 'h.geom3857',
  tables: ['hazards'],
  columns: 'h.id, h.code, c.kind, h.grade, h.pipe_id, h.status',
  fields: {
    id: 'Number', code: P.code, kind: 'String: structural | functional (of the defect code)',
    grade: P.grade, pipe_id: P.pipe_id, status: P.status,
  },
  collection: {
    order: 30, geometryType: 'Point', nearestInMemory: true, datetime: 'found_at', label: { code: 't.code' },
    properties: P,
    related: { sql: `json_build_object('pipe', ${pipe('t.pipe_id')})`, describe: 'pipe' },
  },
});
