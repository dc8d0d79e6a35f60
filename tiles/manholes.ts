// Manholes, outfalls and junctions; clustered by tile cell below z15.
import { asMvt, clusterSql, mvtGeom, runTile, tileSql } from '../server/tiles/sql.ts';
import type { TileLayer } from '../server/tiles/types.ts';

const DETAIL_ZOOM = 15;
const raw = tileSql(asMvt('manholes', `
  SELECT id, code, kind, usage, network, round(depth_m::numeric, 2)::float8 AS depth_m, ${mvtGeom()} AS geom
  FROM manholes, env WHERE geom3857 && env.b`, 'id'));
const clusters = tileSql(asMvt('manholes', clusterSql('manholes', `count(*) FILTER (WHERE kind = 'outfall')::int AS outfalls`)));

const layer: TileLayer = {
  id: 'manholes',
  name: { zh: '检查井', en: 'Manholes' },
  description: 'Manholes (nodes of the drainage graph). Below z15 clustered per 1/32-tile cell with counts.',
  minzoom: 8,
  maxzoom: 18,
  tables: ['manholes'],
  maxAgeSeconds: 0,
  vectorLayers: [{
    id: 'manholes',
    description: 'Manholes; features with `count` are clusters (z<15)',
    fields: {
      id: 'Number', code: 'String', kind: 'String: manhole | outfall | junction | inlet | storage',
      usage: 'String: rain | sewage | combined', network: 'String: main | community', depth_m: 'Number',
      count: 'Number: manholes in the cluster', outfalls: 'Number: outfalls in the cluster',
    },
  }],
  tile: ({ db, z, x, y }) => (z >= DETAIL_ZOOM ? runTile(db, 'tile_manholes_raw', raw, z, x, y) : runTile(db, 'tile_manholes_cl', clusters, z, x, y)),
};
export default layer;
