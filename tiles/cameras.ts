// Video cameras with status and field of view; clustered below z15 with online counts.
import { asMvt, clusterSql, mvtGeom, runTile, tileSql } from '../server/tiles/sql.ts';
import type { TileLayer } from '../server/tiles/types.ts';

const DETAIL_ZOOM = 15;
const raw = tileSql(asMvt('cameras', `
  SELECT id, code, name, kind, status, azimuth_deg AS azimuth, hfov_deg AS hfov, range_m, ${mvtGeom()} AS geom
  FROM cameras, env WHERE geom3857 && env.b`, 'id'));
const clusters = tileSql(asMvt('cameras', clusterSql('cameras', `count(*) FILTER (WHERE status = 'online')::int AS online`)));

const layer: TileLayer = {
  id: 'cameras',
  name: { zh: '视频监控', en: 'Cameras' },
  description: 'Cameras: status, azimuth, horizontal field of view and range. Below z15 clustered with online counts.',
  minzoom: 8,
  maxzoom: 18,
  tables: ['cameras'],
  maxAgeSeconds: 0,
  vectorLayers: [{
    id: 'cameras',
    description: 'Cameras; features with `count` are clusters (z<15)',
    fields: {
      id: 'Number', code: 'String: GB/T 28181 id', name: 'String', kind: 'String: gun | dome | ptz | fisheye',
      status: 'String: online | offline | damaged', azimuth: 'Number: degrees from north', hfov: 'Number: degrees',
      range_m: 'Number', count: 'Number: cameras in the cluster', online: 'Number: online cameras in the cluster',
    },
  }],
  tile: ({ db, z, x, y }) => (z >= DETAIL_ZOOM ? runTile(db, 'tile_cameras_raw', raw, z, x, y) : runTile(db, 'tile_cameras_cl', clusters, z, x, y)),
};
export default layer;
