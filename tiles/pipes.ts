// Drainage pipes (reaches). From z14 every reach with its attributes; below that, reaches merged per
// tile by usage and network (count and length kept), so a district-wide tile stays small and complete.
import { NETWORKS, USAGES } from '../common/enums.ts';
import { collectionOf, synthetic, type PropertyDef } from '../server/features/collection-def.ts';
import { agg, manhole } from '../server/features/related-sql.ts';
import { asMvt, mvtGeom, runTile, tileSql } from '../server/tiles/sql.ts';
import type { TileLayer } from '../server/tiles/types.ts';

const DETAIL_ZOOM = 14;

const P = {
  code: { type: 'string', title: 'Pipe code' },
  from_node: { type: 'integer', title: 'Upstream manhole id' },
  to_node: { type: 'integer', title: 'Downstream manhole id' },
  usage: { type: 'string', title: 'Usage', enum: USAGES },
  network: { type: 'string', title: 'Network', enum: NETWORKS },
  diameter_mm: { type: 'integer', title: 'Diameter (mm)' },
  material: { type: 'string', title: 'Material' },
  length_m: { type: 'number', title: 'Length (m)' },
  up_invert_m: { type: 'number', title: 'Upstream invert level (m)' },
  down_invert_m: { type: 'number', title: 'Downstream invert level (m)' },
  built_year: { type: 'integer', title: 'Year built' },
  road_name: { type: 'string', title: 'Road' },
  sgrade: { type: 'integer', title: 'CJJ 181 structural grade 1–4' },
  fgrade: { type: 'integer', title: 'CJJ 181 functional grade 1–4' },
  synthetic,
} satisfies Record<string, PropertyDef>;

const related = `json_build_object(
    'condition', (SELECT to_jsonb(c) - 'pipe_id' - 'computed_at' FROM pipe_condition c WHERE c.pipe_id = t.id),
    'from_manhole', ${manhole('t.from_node')},
    'to_manhole', ${manhole('t.to_node')},
    'inspections', ${agg(`json_build_object('id', i.id, 'inspected_at', i.inspected_at, 'method', i.method, 'direction', i.direction,
        'inspected_length_m', i.inspected_length_m, 'operator', i.operator,
        'defects', ${agg(`json_build_object('id', d.id, 'code', d.code, 'name_zh', dc.name_zh, 'name_en', dc.name_en, 'kind', dc.kind,
            'grade', d.grade, 'distance_m', d.distance_m, 'length_m', d.length_m, 'clock_from', d.clock_from, 'clock_to', d.clock_to, 'note', d.note,
            'repaired', EXISTS (SELECT 1 FROM hazards h WHERE h.defect_id = d.id AND remediation_is_repaired(h.status)))`,
          'd.distance_m, d.id', 'FROM defects d JOIN defect_codes dc ON dc.code = d.code WHERE d.inspection_id = i.id')})`,
      'i.inspected_at DESC, i.id', 'FROM inspections i WHERE i.pipe_id = t.id')},
    'hazards', ${agg(`json_build_object('id', h.id, 'code', h.code, 'grade', h.grade, 'status', h.status, 'found_at', h.found_at,
        'description', h.description, 'lon', ST_X(h.geom), 'lat', ST_Y(h.geom))`, 'h.id', 'FROM hazards h WHERE h.pipe_id = t.id')})`;

const raw = tileSql(asMvt('pipes', `
  SELECT id, code, usage, network, diameter_mm, material, round(length_m::numeric, 1)::float8 AS length_m,
         sgrade, fgrade, ${mvtGeom()} AS geom
  FROM pipes, env WHERE geom3857 && env.b`, 'id'));

const merged = tileSql(asMvt('pipes', `
  SELECT usage, network, count(*)::int AS count, round((sum(length_m) / 1000)::numeric, 2)::float8 AS length_km,
         ST_AsMVTGeom(ST_Simplify(ST_LineMerge(ST_Collect(geom3857)), (ST_XMax(env.e) - ST_XMin(env.e)) / 4096), env.e, 4096, 64, true) AS geom
  FROM pipes, env WHERE geom3857 && env.b
  GROUP BY usage, network, env.e`));

const base = {
  id: 'pipes',
  name: { zh: '排水管道', en: 'Drainage pipes' },
  description: 'Pipe reaches from manhole to manhole in the direction of flow, with CJJ 181 condition grades.',
  table: 'pipes',
};

const layer: TileLayer = {
  id: base.id,
  name: base.name,
  description: `${base.description} Below z14 merged per usage and network with counts.`,
  minzoom: 8,
  maxzoom: 18,
  tables: ['pipes'],
  maxAgeSeconds: 0,
  anywhere: true,
  vectorLayers: [{
    id: 'pipes',
    description: 'Pipe reaches; features with `count` are merged reaches (z<14)',
    fields: {
      id: 'Number: pipe id', code: P.code, usage: P.usage, network: P.network, diameter_mm: P.diameter_mm, material: P.material,
      length_m: P.length_m, sgrade: P.sgrade, fgrade: P.fgrade,
      count: 'Number: reaches merged (z<14)', length_km: 'Number: length merged (z<14)',
    },
  }],
  tile: ({ db, z, x, y }) => (z >= DETAIL_ZOOM ? runTile(db, 'tile_pipes_raw', raw, z, x, y) : runTile(db, 'tile_pipes_merged', merged, z, x, y)),
  collections: [collectionOf(base, {
    order: 10, geometryType: 'LineString', label: { code: 't.code' }, properties: P,
    related: { sql: related, describe: 'condition, from_manhole, to_manhole, inspections (with defects), hazards' },
  })],
};
export default layer;
