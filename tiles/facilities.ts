// Drainage facilities: pumping stations, flood gates, outfalls, treatment plants, waterlogging points,
// and the monitored lakes (polygons) and channels (lines).
import { tableLayer } from '../server/tiles/table-layer.ts';

export default tableLayer({
  id: 'facilities',
  name: { zh: '排水设施', en: 'Facilities' },
  description: 'Pumping stations, flood gates, outfalls, treatment plants, waterlogging points, monitored lakes and channels.',
  from: 'facilities',
  columns: 'id, code, name, kind',
  fields: {
    id: 'Number', code: 'String', name: 'String',
    kind: 'String: pumping_station | flood_gate | outfall | wwtp | waterlogging_point | lake | channel',
  },
});
