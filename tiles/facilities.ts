// Drainage facilities: pumping stations, flood gates, outfalls, treatment plants, waterlogging points,
// and the monitored lakes (polygons) and channels (lines).
import { FACILITY_KINDS } from '../common/enums.ts';
import { synthetic, type PropertyDef } from '../server/features/collection-def.ts';
import { tableLayer } from '../server/tiles/table-layer.ts';

const P = {
  code: { type: 'string', title: 'Code' },
  name: { type: 'string', title: 'Name' },
  kind: { type: 'string', title: 'Kind', enum: FACILITY_KINDS },
  manhole_id: { type: 'integer', title: 'Manhole id' },
  capacity: { type: 'string', title: 'Capacity' },
  synthetic,
} satisfies Record<string, PropertyDef>;

export default tableLayer({
  id: 'facilities',
  name: { zh: '排水设施', en: 'Drainage facilities' },
  description: 'Pumping stations, flood gates, outfalls, treatment plants, waterlogging points, monitored lakes and channels.',
  from: 'facilities',
  columns: 'id, code, name, kind',
  fields: { id: 'Number', code: P.code, name: P.name, kind: P.kind },
  collection: { order: 50, geometryType: 'Geometry', label: { code: 't.code', name: 't.name' }, properties: P },
});
