// Storm/sanitary misconnection points (雨污混接): a few thousand, shown at every zoom.
import { asMvt, mvtGeom, runTile, tileSql } from '../server/tiles/sql.ts';
import type { TileLayer } from '../server/tiles/types.ts';

const sql = tileSql(asMvt('misconnections', `
  SELECT id, kind, status, pipe_id, ${mvtGeom()} AS geom FROM misconnections, env WHERE geom3857 && env.b`, 'id'));

const layer: TileLayer = {
  id: 'misconnections',
  name: { zh: '雨污混接', en: 'Misconnections' },
  description: 'Storm/sanitary misconnection points with type and status.',
  minzoom: 8,
  maxzoom: 18,
  tables: ['misconnections'],
  maxAgeSeconds: 0,
  vectorLayers: [{
    id: 'misconnections',
    description: 'One point per misconnection',
    fields: {
      id: 'Number', kind: 'String: sanitary_to_storm | storm_to_sanitary | other',
      status: 'String: found | confirmed | fixed', pipe_id: 'Number',
    },
  }],
  tile: ({ db, z, x, y }) => runTile(db, 'tile_misconnections', sql, z, x, y),
};
export default layer;
