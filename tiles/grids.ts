// Unit grids (单元网格) with their 15-digit codes and the community and street they belong to.
import { asMvt, mvtGeom, runTile, tileSql } from '../server/tiles/sql.ts';
import type { TileLayer } from '../server/tiles/types.ts';

const sql = tileSql(asMvt('grids', `
  SELECT code, community_code AS community, left(code, 9) AS street, round(area_m2)::int AS area_m2, ${mvtGeom()} AS geom
  FROM grids, env WHERE geom3857 && env.b`));

const layer: TileLayer = {
  id: 'grids',
  name: { zh: '单元网格', en: 'Unit grids' },
  description: 'Unit grids of the three-level command: code, community and street codes, area.',
  minzoom: 8,
  maxzoom: 18,
  tables: ['grids', 'communities', 'streets'],
  maxAgeSeconds: 60,
  vectorLayers: [{
    id: 'grids',
    description: 'One polygon per unit grid',
    fields: { code: 'String: 15-digit grid code', community: 'String: 12-digit community code', street: 'String: 9-digit street code', area_m2: 'Number' },
  }],
  tile: ({ db, z, x, y }) => runTile(db, 'tile_grids', sql, z, x, y),
};
export default layer;
