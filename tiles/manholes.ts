// Manholes, outfalls and junctions; clustered by tile cell below z15.
import { MANHOLE_KINDS, NETWORKS, USAGES } from '../common/enums.ts';
import { synthetic, type PropertyDef } from '../server/features/collection-def.ts';
import { agg, pipeRow } from '../server/features/related-sql.ts';
import { tableLayer } from '../server/tiles/table-layer.ts';

const P = {
  code: { type: 'string', title: 'Manhole code' },
  kind: { type: 'string', title: 'Kind', enum: MANHOLE_KINDS },
  usage: { type: 'string', title: 'Usage', enum: USAGES },
  network: { type: 'string', title: 'Network', enum: NETWORKS },
  ground_elev_m: { type: 'number', title: 'Ground level (m)' },
  invert_elev_m: { type: 'number', title: 'Invert level (m)' },
  depth_m: { type: 'number', title: 'Depth (m)' },
  synthetic,
} satisfies Record<string, PropertyDef>;

const related = `json_build_object(
    'pipes_in', ${agg(pipeRow, 'p.id', 'FROM pipes p WHERE p.to_node = t.id')},
    'pipes_out', ${agg(pipeRow, 'p.id', 'FROM pipes p WHERE p.from_node = t.id')})`;

export default tableLayer({
  id: 'manholes',
  name: { zh: '检查井', en: 'Manholes' },
  description: 'Nodes of the drainage network: manholes, outfalls, junctions, inlets and storage.',
  tileNote: 'Below z15 clustered per 1/8-tile cell (common/clusters.ts) with counts.',
  from: 'manholes',
  anywhere: true, // imported networks
  columns: 'id, code, kind, usage, network, round(depth_m::numeric, 2)::float8 AS depth_m',
  fields: { id: 'Number', code: P.code, kind: P.kind, usage: P.usage, network: P.network, depth_m: P.depth_m },
  clusters: {
    fromZoom: 15,
    aggregates: `count(*) FILTER (WHERE kind = 'outfall')::int AS outfalls`,
    fields: { outfalls: 'Number: outfalls in the cluster' },
  },
  collection: {
    order: 20, geometryType: 'Point', nearestInMemory: true, label: { code: 't.code' }, properties: P,
    related: { sql: related, describe: 'pipes_in, pipes_out' },
  },
});
