// Manholes, outfalls and junctions; clustered by tile cell below z15.
import { tableLayer } from '../server/tiles/table-layer.ts';

export default tableLayer({
  id: 'manholes',
  name: { zh: '检查井', en: 'Manholes' },
  description: 'Manholes (nodes of the drainage graph). Below z15 clustered per 1/8-tile cell (common/clusters.ts) with counts.',
  from: 'manholes',
  anywhere: true, // imported networks
  columns: 'id, code, kind, usage, network, round(depth_m::numeric, 2)::float8 AS depth_m',
  fields: {
    id: 'Number', code: 'String', kind: 'String: manhole | outfall | junction | inlet | storage',
    usage: 'String: rain | sewage | combined', network: 'String: main | community', depth_m: 'Number',
  },
  clusters: {
    fromZoom: 15,
    aggregates: `count(*) FILTER (WHERE kind = 'outfall')::int AS outfalls`,
    fields: { outfalls: 'Number: outfalls in the cluster' },
  },
});
