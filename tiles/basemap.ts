// Our own basemap, so the app needs no outside map service: water, the district, streets and
// communities, roads by class, and labels, each appearing at the zoom where it becomes legible.
import { asMvt, mvtGeom, runTile, tileSql } from '../server/tiles/sql.ts';
import type { TileLayer } from '../server/tiles/types.ts';

/**
 * Below z13, simplify to one tile unit before encoding (ST_AsMVTGeom only snaps, it does not generalise);
 * deeper, the stored geometry is already finer than needed and simplifying would only cost time.
 */
const simplified = (col: string) =>
  `ST_AsMVTGeom(CASE WHEN $1 < 13 THEN ST_Simplify(${col}, (ST_XMax(env.e) - ST_XMin(env.e)) / 4096, true) ELSE ${col} END,
                env.e, 4096, 64, true)`;

const sql = tileSql(
  asMvt('water', `SELECT id, name, kind, ${simplified('geom3857')} AS geom FROM water, env WHERE geom3857 && env.b`, 'id'),
  asMvt('district', `SELECT code, name, ${simplified('geom3857')} AS geom FROM districts, env WHERE geom3857 && env.b`),
  asMvt('streets', `SELECT code, name, ${simplified('geom3857')} AS geom FROM streets, env WHERE $1 >= 10 AND geom3857 && env.b`),
  asMvt('communities', `SELECT code, name, ${simplified('geom3857')} AS geom FROM communities, env WHERE $1 >= 13 AND geom3857 && env.b`),
  asMvt('roads', `SELECT id, name, class, ${simplified('geom3857')} AS geom FROM roads, env
                  WHERE geom3857 && env.b AND ($1 >= 13 OR class <> 'residential') AND ($1 >= 9 OR class = 'trunk')`, 'id'),
  asMvt('labels', `SELECT id, name, kind, rank, ${mvtGeom()} AS geom FROM labels, env WHERE geom3857 && env.b AND minzoom <= $1`, 'id'),
);

const layer: TileLayer = {
  id: 'basemap',
  name: { zh: '底图', en: 'Basemap' },
  description: 'District, streets, communities, roads, water and labels of Wuchang.',
  minzoom: 0,
  maxzoom: 18,
  tables: ['water', 'districts', 'streets', 'communities', 'roads', 'labels'],
  maxAgeSeconds: 300,
  vectorLayers: [
    { id: 'water', description: 'Yangtze, lakes and channels', fields: { id: 'Number', name: 'String', kind: 'String: river | lake | channel' } },
    { id: 'district', description: 'District outline', fields: { code: 'String', name: 'String' } },
    { id: 'streets', description: 'Street (街道) areas', fields: { code: 'String: 9 digits', name: 'String' }, minzoom: 10 },
    { id: 'communities', description: 'Community (社区) areas', fields: { code: 'String: 12 digits', name: 'String' }, minzoom: 13 },
    { id: 'roads', description: 'Roads by class', fields: { id: 'Number', name: 'String', class: 'String: trunk | primary | secondary | residential' } },
    { id: 'labels', description: 'Place labels', fields: { id: 'Number', name: 'String', kind: 'String', rank: 'Number' } },
  ],
  tile: ({ db, z, x, y }) => runTile(db, 'tile_basemap', sql, z, x, y),
};
export default layer;
