// Pipe hazards (隐患): serious CJJ 181 defects located on their reach. Few enough (hundreds) for every zoom.
import { tableLayer } from '../server/tiles/table-layer.ts';

export default tableLayer({
  id: 'hazards',
  name: { zh: '管网隐患', en: 'Pipe hazards' },
  description: 'Hazards on drainage pipes: CJJ 181 defect code, kind and grade.',
  from: 'hazards h JOIN defect_codes c ON c.code = h.code',
  geomColumn: 'h.geom3857',
  tables: ['hazards'],
  columns: 'h.id, h.code, c.kind, h.grade, h.pipe_id, h.status',
  fields: {
    id: 'Number', code: 'String: CJJ 181 defect code (PL, BX, CJ…)', kind: 'String: structural | functional',
    grade: 'Number: 1–4', pipe_id: 'Number', status: 'String: open | in_repair | fixed',
  },
});
