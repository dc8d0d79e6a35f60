// Unit grids (单元网格) with their 15-digit codes and the community and street they belong to.
import { collectionOf, synthetic, type PropertyDef } from '../server/features/collection-def.ts';
import { unit } from '../server/features/related-sql.ts';
import { asMvt, mvtGeom, runTile, tileSql } from '../server/tiles/sql.ts';
import type { TileLayer } from '../server/tiles/types.ts';

const P = {
  code: { type: 'string', title: '15-digit grid code', pg: 'bpchar' },
  community_code: { type: 'string', title: '12-digit community code', pg: 'bpchar' },
  street_code: { type: 'string', title: '9-digit street code', sql: 'left(t.code, 9)' },
  area_m2: { type: 'number', title: 'Area (m²)' },
  synthetic,
} satisfies Record<string, PropertyDef>;

const related = `json_build_object(
    'community', ${unit('communities', 't.community_code')},
    'street', ${unit('streets', 'left(t.code, 9)')},
    'counts', json_build_object(
      'cases_open', (SELECT count(*) FROM cases c WHERE c.grid_code = t.code AND case_is_open(c.status)),
      'cameras', (SELECT count(*) FROM cameras c WHERE c.grid_code = t.code),
      'manholes', (SELECT count(*) FROM manholes m WHERE ST_Intersects(m.geom, t.geom))))`;

const sql = tileSql(asMvt('grids', `
  SELECT code, community_code AS community, left(code, 9) AS street, round(area_m2)::int AS area_m2, ${mvtGeom()} AS geom
  FROM grids, env WHERE geom3857 && env.b`));

const base = {
  id: 'grids',
  name: { zh: '单元网格', en: 'Unit grids' },
  description: 'Unit grids of the three-level command; the id is the 15-digit grid code.',
  table: 'grids',
};

const layer: TileLayer = {
  id: base.id,
  name: base.name,
  description: base.description,
  minzoom: 8,
  maxzoom: 18,
  tables: ['grids', 'communities', 'streets'],
  maxAgeSeconds: 60,
  vectorLayers: [{
    id: 'grids',
    description: 'One polygon per unit grid',
    fields: { code: P.code, community: P.community_code, street: P.street_code, area_m2: P.area_m2 },
  }],
  tile: ({ db, z, x, y }) => runTile(db, 'tile_grids', sql, z, x, y),
  collections: [collectionOf(base, {
    order: 60, key: { column: 'code', type: 'code' }, geometryType: 'MultiPolygon', label: { code: 't.code' }, properties: P,
    related: { sql: related, describe: 'community, street, counts {cases_open, cameras, manholes}' },
  })],
};
export default layer;
