// Unit grids (单元网格) with their 15-digit codes and the community and street they belong to.
import { asMvt, mvtGeom, runTile, tileSql } from '../server/tiles/sql.ts';
import type { TileLayer } from '../server/tiles/types.ts';

const sql = tileSql(asMvt('grids', `
  SELECT g.code, c.name AS community, s.name AS street, round(g.area_m2)::int AS area_m2, ${mvtGeom('g.geom3857')} AS geom
  FROM grids g JOIN communities c ON c.code = g.community_code JOIN streets s ON s.code = c.street_code, env
  WHERE g.geom3857 && env.b`));

const layer: TileLayer = {
  id: 'grids',
  name: { zh: '单元网格', en: 'Unit grids' },
  description: 'Unit grids of the three-level command: code, community, street, area.',
  minzoom: 8,
  maxzoom: 18,
  tables: ['grids', 'communities', 'streets'],
  maxAgeSeconds: 60,
  vectorLayers: [{
    id: 'grids',
    description: 'One polygon per unit grid',
    fields: { code: 'String: 15-digit grid code', community: 'String', street: 'String', area_m2: 'Number' },
  }],
  tile: ({ db, z, x, y }) => runTile(db, 'tile_grids', sql, z, x, y),
};
export default layer;
