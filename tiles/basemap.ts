// Our own basemap, so the app needs no outside map service: water, the district, streets and
// communities, roads by class, labels and buildings, each appearing at the zoom where it becomes legible.
import { ROAD_CLASSES, WATER_KINDS } from '../common/enums.ts';
import { collectionOf, synthetic, type PropertyDef } from '../server/features/collection-def.ts';
import { unit } from '../server/features/related-sql.ts';
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
  // From z15, where a footprint is a few pixels wide; height is what the map extrudes (levels × 3 m without one).
  asMvt('buildings', `SELECT id, name, height_m, levels, COALESCE(height_m, levels * 3) AS height, synthetic, ${simplified('geom3857')} AS geom
                      FROM buildings, env WHERE $1 >= 15 AND geom3857 && env.b`, 'id'),
);

// The areas and lines the basemap draws that are also collections of their own.
const name = { type: 'string', title: 'Name' } satisfies PropertyDef;
const streets = {
  code: { type: 'string', title: '9-digit street code', pg: 'bpchar' },
  name,
  district_code: { type: 'string', title: '6-digit district code', pg: 'bpchar' },
  synthetic,
} satisfies Record<string, PropertyDef>;
const communities = {
  code: { type: 'string', title: '12-digit community code', pg: 'bpchar' },
  name,
  street_code: streets.code,
  synthetic,
} satisfies Record<string, PropertyDef>;
const roads = { name, class: { type: 'string', title: 'Class', enum: ROAD_CLASSES }, synthetic } satisfies Record<string, PropertyDef>;
const water = { name, kind: { type: 'string', title: 'Kind', enum: WATER_KINDS }, synthetic } satisfies Record<string, PropertyDef>;

const byCode = { key: { column: 'code', type: 'code' }, geometryType: 'MultiPolygon', label: { code: 't.code', name: 't.name' } } as const;

const collections = [
  collectionOf(
    { id: 'communities', table: 'communities', name: { zh: '社区', en: 'Communities' }, description: 'Communities (社区); the id is the 12-digit community code.' },
    { order: 70, ...byCode, properties: communities, related: { sql: `json_build_object('street', ${unit('streets', 't.street_code')})`, describe: 'street' } },
  ),
  collectionOf(
    { id: 'streets', table: 'streets', name: { zh: '街道', en: 'Streets' }, description: 'Streets (街道, sub-districts); the id is the 9-digit street code.' },
    { order: 80, ...byCode, properties: streets, related: { sql: `json_build_object('district', ${unit('districts', 't.district_code')})`, describe: 'district' } },
  ),
  collectionOf(
    { id: 'roads', table: 'roads', name: { zh: '道路', en: 'Roads' }, description: 'Basemap roads.' },
    { order: 130, geometryType: 'LineString', label: { name: 't.name' }, properties: roads },
  ),
  collectionOf(
    { id: 'water', table: 'water', name: { zh: '水系', en: 'Water bodies' }, description: 'Basemap rivers, lakes and channels.' },
    { order: 140, geometryType: 'MultiPolygon', label: { name: 't.name' }, properties: water },
  ),
];

const layer: TileLayer = {
  id: 'basemap',
  name: { zh: '底图', en: 'Basemap' },
  description: 'District, streets, communities, roads, water, labels and buildings of Wuchang.',
  minzoom: 0,
  maxzoom: 18,
  tables: ['water', 'districts', 'streets', 'communities', 'roads', 'labels', 'buildings'],
  maxAgeSeconds: 300,
  vectorLayers: [
    { id: 'water', description: 'Yangtze, lakes and channels', fields: { id: 'Number', name, kind: water.kind } },
    { id: 'district', description: 'District outline', fields: { code: 'String: 6-digit district code', name } },
    { id: 'streets', description: 'Street (街道) areas', fields: { code: streets.code, name }, minzoom: 10 },
    { id: 'communities', description: 'Community (社区) areas', fields: { code: communities.code, name }, minzoom: 13 },
    { id: 'roads', description: 'Roads by class', fields: { id: 'Number', name, class: roads.class } },
    { id: 'labels', description: 'Place labels', fields: { id: 'Number', name: 'String', kind: 'String', rank: 'Number' } },
    {
      id: 'buildings', description: 'Building footprints; height in metres (height_m, else levels × 3 m) where known', minzoom: 15,
      fields: { id: 'Number', name: 'String', height_m: 'Number: metres, when known', levels: 'Number: storeys, when known', height: 'Number: metres to extrude', synthetic: 'Boolean' },
    },
  ],
  tile: ({ db, z, x, y }) => runTile(db, 'tile_basemap', sql, z, x, y),
  collections,
};
export default layer;
