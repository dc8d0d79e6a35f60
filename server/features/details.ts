// SQL of the identify panel: a feature with what hangs off it, as one json_build_object per layer so a
// click costs one round trip. `related` expressions see the feature's row as `t`.
import type { CollectionDef } from './collections.ts';
import type { BuiltQuery } from './items.ts';
import { geometryJsonSql, idJsonSql, keySql, propertiesJsonSql } from './sql.ts';

const agg = (select: string, order: string, from: string) => `coalesce((SELECT json_agg(${select} ORDER BY ${order}) ${from}), '[]'::json)`;

const manhole = (idSql: string) => `(SELECT json_build_object('id', m.id, 'code', m.code, 'kind', m.kind, 'usage', m.usage, 'depth_m', m.depth_m,
  'invert_elev_m', m.invert_elev_m, 'lon', ST_X(m.geom), 'lat', ST_Y(m.geom)) FROM manholes m WHERE m.id = ${idSql})`;

const pipe = (idSql: string) => `(SELECT json_build_object('id', p.id, 'code', p.code, 'usage', p.usage, 'network', p.network,
  'diameter_mm', p.diameter_mm, 'material', p.material, 'length_m', p.length_m, 'road_name', p.road_name,
  'from_node', p.from_node, 'to_node', p.to_node, 'sgrade', p.sgrade, 'fgrade', p.fgrade) FROM pipes p WHERE p.id = ${idSql})`;

const pipeRow = `json_build_object('id', p.id, 'code', p.code, 'usage', p.usage, 'diameter_mm', p.diameter_mm, 'length_m', p.length_m,
  'from_node', p.from_node, 'to_node', p.to_node)`;

const unit = (table: string, codeSql: string) => `(SELECT json_build_object('code', u.code, 'name', u.name) FROM ${table} u WHERE u.code = ${codeSql})`;

/** The `related` object of each layer (layers not listed relate to nothing: {}). */
export const RELATED: Record<string, string> = {
  pipes: `json_build_object(
    'condition', (SELECT to_jsonb(c) - 'pipe_id' - 'computed_at' FROM pipe_condition c WHERE c.pipe_id = t.id),
    'from_manhole', ${manhole('t.from_node')},
    'to_manhole', ${manhole('t.to_node')},
    'inspections', ${agg(`json_build_object('id', i.id, 'inspected_at', i.inspected_at, 'method', i.method, 'direction', i.direction,
        'inspected_length_m', i.inspected_length_m, 'operator', i.operator,
        'defects', ${agg(`json_build_object('id', d.id, 'code', d.code, 'name_zh', dc.name_zh, 'name_en', dc.name_en, 'kind', dc.kind,
            'grade', d.grade, 'distance_m', d.distance_m, 'length_m', d.length_m, 'clock_from', d.clock_from, 'clock_to', d.clock_to, 'note', d.note,
            'repaired', EXISTS (SELECT 1 FROM hazards h WHERE h.defect_id = d.id AND h.status = 'fixed'))`,
          'd.distance_m, d.id', 'FROM defects d JOIN defect_codes dc ON dc.code = d.code WHERE d.inspection_id = i.id')})`,
      'i.inspected_at DESC, i.id', 'FROM inspections i WHERE i.pipe_id = t.id')},
    'hazards', ${agg(`json_build_object('id', h.id, 'code', h.code, 'grade', h.grade, 'status', h.status, 'found_at', h.found_at,
        'description', h.description, 'lon', ST_X(h.geom), 'lat', ST_Y(h.geom))`, 'h.id', 'FROM hazards h WHERE h.pipe_id = t.id')})`,
  manholes: `json_build_object(
    'pipes_in', ${agg(pipeRow, 'p.id', 'FROM pipes p WHERE p.to_node = t.id')},
    'pipes_out', ${agg(pipeRow, 'p.id', 'FROM pipes p WHERE p.from_node = t.id')})`,
  // The 30 most recent days on record, oldest first.
  cameras: `json_build_object(
    'status_days', ${agg(`json_build_object('day', x.day, 'online_ratio', x.online_ratio, 'status', x.status)`, 'x.day',
      'FROM (SELECT day, online_ratio, status FROM camera_status_days WHERE camera_id = t.id ORDER BY day DESC LIMIT 30) x')},
    'stream_url', t.stream_url)`,
  // Anyone may read this: the steps' times, not who took them, their notes or photos (people's faces,
  // names, addresses). Staff read those through /api/cases/{id}, which checks who is asking.
  cases: `json_build_object(
    'item', (SELECT json_build_object('code', i.code, 'name_zh', i.name_zh, 'name_en', i.name_en, 'deadline_hours', i.deadline_hours,
        'urgency', i.urgency, 'subclass', json_build_object('code', s.code, 'name_zh', s.name_zh, 'name_en', s.name_en))
      FROM case_items i JOIN case_subclasses s ON s.code = i.subclass_code WHERE i.code = t.item_code),
    'transitions', ${agg(`json_build_object('id', x.id, 'from_status', x.from_status, 'to_status', x.to_status, 'at', x.at)`,
      'x.at, x.id', 'FROM case_transitions x WHERE x.case_id = t.id')})`,
  // Observations: the 24 hours up to each datastream's latest one (a silent sensor still shows its last day).
  sensors: `json_build_object(
    'datastreams', ${agg(`json_build_object('id', ds.id, 'quantity', ds.quantity, 'unit', ds.unit, 'direction', ds.direction,
        'warn_level', ds.warn_level, 'alarm_level', ds.alarm_level, 'last_value', ds.last_value, 'last_at', ds.last_at,
        'observations', ${agg(`json_build_object('t', o.t, 'value', o.value)`, 'o.t',
          `FROM observations o WHERE o.datastream_id = ds.id
             AND o.t > (SELECT max(o2.t) FROM observations o2 WHERE o2.datastream_id = ds.id) - interval '24 hours'`)})`,
      'ds.id', 'FROM datastreams ds WHERE ds.station_id = t.id')})`,
  hazards: `json_build_object('pipe', ${pipe('t.pipe_id')})`,
  misconnections: `json_build_object('pipe', ${pipe('t.pipe_id')}, 'manhole', ${manhole('t.manhole_id')})`,
  grids: `json_build_object(
    'community', ${unit('communities', 't.community_code')},
    'street', ${unit('streets', 'left(t.code, 9)')},
    'counts', json_build_object(
      'cases_open', (SELECT count(*) FROM cases c WHERE c.grid_code = t.code AND case_is_open(c.status)),
      'cameras', (SELECT count(*) FROM cameras c WHERE c.grid_code = t.code),
      'manholes', (SELECT count(*) FROM manholes m WHERE ST_Intersects(m.geom, t.geom))))`,
  communities: `json_build_object('street', ${unit('streets', 't.street_code')})`,
  streets: `json_build_object('district', ${unit('districts', 't.district_code')})`,
};

export function buildDetailsSql(c: CollectionDef, key: string): BuiltQuery {
  const cast = c.key.type === 'code' ? 'bpchar' : c.key.type === 'integer' ? 'int' : 'bigint';
  return {
    text: `SELECT ${idJsonSql(c)}::json AS id, ${propertiesJsonSql(c)}::json AS properties, ${geometryJsonSql()}::json AS geometry,
             ${RELATED[c.id] ?? `'{}'::json`} AS related
           FROM ${c.table} t WHERE ${keySql(c)} = $1::${cast}`,
    values: [key],
  };
}
