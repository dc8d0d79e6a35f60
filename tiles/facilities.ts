// Drainage facilities: pumping stations, flood gates, outfalls, treatment plants, waterlogging points,
// and the monitored lakes (polygons) and channels (lines).
import { asMvt, mvtGeom, runTile, tileSql } from '../server/tiles/sql.ts';
import type { TileLayer } from '../server/tiles/types.ts';

const sql = tileSql(asMvt('facilities', `
  SELECT id, code, name, kind, ${mvtGeom()} AS geom FROM facilities, env WHERE geom3857 && env.b`, 'id'));

const layer: TileLayer = {
  id: 'facilities',
  name: { zh: '排水设施', en: 'Facilities' },
  description: 'Pumping stations, flood gates, outfalls, treatment plants, waterlogging points, monitored lakes and channels.',
  minzoom: 8,
  maxzoom: 18,
  tables: ['facilities'],
  maxAgeSeconds: 0,
  vectorLayers: [{
    id: 'facilities',
    description: 'Points, lines (channels) and polygons (lakes)',
    fields: {
      id: 'Number', code: 'String', name: 'String',
      kind: 'String: pumping_station | flood_gate | outfall | wwtp | waterlogging_point | lake | channel',
    },
  }],
  tile: ({ db, z, x, y }) => runTile(db, 'tile_facilities', sql, z, x, y),
};
export default layer;
