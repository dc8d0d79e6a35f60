// IoT monitoring stations coloured by their state (normal, warning, alarm, offline).
import { asMvt, mvtGeom, runTile, tileSql } from '../server/tiles/sql.ts';
import type { TileLayer } from '../server/tiles/types.ts';

const sql = tileSql(asMvt('sensors', `
  SELECT id, code, name, kind, status, ${mvtGeom()} AS geom FROM sensor_stations, env WHERE geom3857 && env.b`, 'id'));

const layer: TileLayer = {
  id: 'sensors',
  name: { zh: '物联感知', en: 'Sensors' },
  description: 'Monitoring stations (water level, ponding, rain, flow, quality, gas…) with their alarm state.',
  minzoom: 8,
  maxzoom: 18,
  tables: ['sensor_stations'],
  maxAgeSeconds: 0,
  vectorLayers: [{
    id: 'sensors',
    description: 'One point per station',
    fields: { id: 'Number', code: 'String', name: 'String', kind: 'String', status: 'String: normal | warning | alarm | offline' },
  }],
  tile: ({ db, z, x, y }) => runTile(db, 'tile_sensors', sql, z, x, y),
};
export default layer;
