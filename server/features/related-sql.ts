// SQL pieces the layers' `related` objects are made of (the identify panel's related records): a feature's
// manhole, pipe or administrative unit as a JSON object, and a sorted JSON array. Plain strings with no
// import, so the tiles/ modules can use them (see collection-def.ts on cycles).

export const agg = (select: string, order: string, from: string) => `coalesce((SELECT json_agg(${select} ORDER BY ${order}) ${from}), '[]'::json)`;

export const manhole = (idSql: string) => `(SELECT json_build_object('id', m.id, 'code', m.code, 'kind', m.kind, 'usage', m.usage, 'depth_m', m.depth_m,
  'invert_elev_m', m.invert_elev_m, 'lon', ST_X(m.geom), 'lat', ST_Y(m.geom)) FROM manholes m WHERE m.id = ${idSql})`;

export const pipe = (idSql: string) => `(SELECT json_build_object('id', p.id, 'code', p.code, 'usage', p.usage, 'network', p.network,
  'diameter_mm', p.diameter_mm, 'material', p.material, 'length_m', p.length_m, 'road_name', p.road_name,
  'from_node', p.from_node, 'to_node', p.to_node, 'sgrade', p.sgrade, 'fgrade', p.fgrade) FROM pipes p WHERE p.id = ${idSql})`;

/** A pipe in a manhole's lists of pipes in and out. */
export const pipeRow = `json_build_object('id', p.id, 'code', p.code, 'usage', p.usage, 'diameter_mm', p.diameter_mm, 'length_m', p.length_m,
  'from_node', p.from_node, 'to_node', p.to_node)`;

export const unit = (table: string, codeSql: string) => `(SELECT json_build_object('code', u.code, 'name', u.name) FROM ${table} u WHERE u.code = ${codeSql})`;
