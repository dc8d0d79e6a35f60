// Drainage pipes (reaches). From z14 every reach with its attributes; below that, reaches merged per
// tile by usage and network (count and length kept), so a district-wide tile stays small and complete.
import { asMvt, mvtGeom, runTile, tileSql } from '../server/tiles/sql.ts';
import type { TileLayer } from '../server/tiles/types.ts';

const DETAIL_ZOOM = 14;

const raw = tileSql(asMvt('pipes', `
  SELECT id, code, usage, network, diameter_mm, material, round(length_m::numeric, 1)::float8 AS length_m,
         sgrade, fgrade, ${mvtGeom()} AS geom
  FROM pipes, env WHERE geom3857 && env.b`, 'id'));

const merged = tileSql(asMvt('pipes', `
  SELECT usage, network, count(*)::int AS count, round((sum(length_m) / 1000)::numeric, 2)::float8 AS length_km,
         ST_AsMVTGeom(ST_Simplify(ST_LineMerge(ST_Collect(geom3857)), (ST_XMax(env.e) - ST_XMin(env.e)) / 4096), env.e, 4096, 64, true) AS geom
  FROM pipes, env WHERE geom3857 && env.b
  GROUP BY usage, network, env.e`));

const layer: TileLayer = {
  id: 'pipes',
  name: { zh: '排水管道', en: 'Drainage pipes' },
  description: 'Pipe reaches (manhole to manhole, from → to = flow). Below z14 merged per usage and network with counts.',
  minzoom: 8,
  maxzoom: 18,
  tables: ['pipes'],
  maxAgeSeconds: 0,
  anywhere: true,
  vectorLayers: [{
    id: 'pipes',
    description: 'Pipe reaches; features with `count` are merged reaches (z<14)',
    fields: {
      id: 'Number: pipe id', code: 'String: pipe code', usage: 'String: rain | sewage | combined',
      network: 'String: main | community', diameter_mm: 'Number', material: 'String', length_m: 'Number',
      sgrade: 'Number: CJJ 181 structural grade 1–4', fgrade: 'Number: CJJ 181 functional grade 1–4',
      count: 'Number: reaches merged (z<14)', length_km: 'Number: length merged (z<14)',
    },
  }],
  tile: ({ db, z, x, y }) => (z >= DETAIL_ZOOM ? runTile(db, 'tile_pipes_raw', raw, z, x, y) : runTile(db, 'tile_pipes_merged', merged, z, x, y)),
};
export default layer;
