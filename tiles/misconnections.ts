// Storm/sanitary misconnection points (雨污混接): a few thousand, shown at every zoom.
import { MISCONNECTION_KINDS, REMEDIATION_STATUSES } from '../common/enums.ts';
import { synthetic, type PropertyDef } from '../server/features/collection-def.ts';
import { manhole, pipe } from '../server/features/related-sql.ts';
import { tableLayer } from '../server/tiles/table-layer.ts';

const P = {
  pipe_id: { type: 'integer', title: 'Pipe id' },
  manhole_id: { type: 'integer', title: 'Manhole id' },
  kind: { type: 'string', title: 'Kind', enum: MISCONNECTION_KINDS },
  status: { type: 'string', title: 'Status', enum: REMEDIATION_STATUSES },
  found_at: { type: 'date', title: 'Date found' },
  flow_m3d: { type: 'number', title: 'Flow (m³/d)' },
  synthetic,
} satisfies Record<string, PropertyDef>;

export default tableLayer({
  id: 'misconnections',
  name: { zh: '雨污混接', en: 'Storm/sanitary misconnections' },
  description: 'Points where sewage enters the storm network or the reverse (T/CECS 758-2020).',
  from: 'misconnections',
  columns: 'id, kind, status, pipe_id',
  fields: { id: 'Number', kind: P.kind, status: P.status, pipe_id: P.pipe_id },
  collection: {
    order: 40, geometryType: 'Point', nearestInMemory: true, datetime: 'found_at', label: { name: 't.kind' },
    properties: P,
    related: { sql: `json_build_object('pipe', ${pipe('t.pipe_id')}, 'manhole', ${manhole('t.manhole_id')})`, describe: 'pipe, manhole' },
  },
});
