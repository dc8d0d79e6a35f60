// A layer over one table (or join) of features, like Martin's table sources: the columns the tiles show,
// optionally clusters below a zoom, and the table as an OGC collection. Layers with their own shapes
// (basemap, merged pipes, cases) build a TileLayer by hand instead.
import { collectionOf, type CollectionSpec } from '../features/collection-def.ts';
import { asMvt, clusterSql, mvtGeom, runTile, tileSql } from './sql.ts';
import type { TileField, TileLayer } from './types.ts';

export interface TableLayerSpec {
  id: string;
  /** Also the collection's title in both languages. */
  name: { zh: string; en: string };
  /** What the data is (the collection's description). */
  description: string;
  /** How the tiles show it beyond one feature per row (clusters…), added to TileJSON's description. */
  tileNote?: string;
  /** FROM clause; its features have `geom3857` (or `geomColumn`) and an integer `id`. */
  from: string;
  /** SELECT list of the properties. */
  columns: string;
  /** What each selected column is: the collection's property it shows, or a text. */
  fields: Record<string, TileField>;
  /** Tables whose changes invalidate the tiles; defaults to the first word of `from`. */
  tables?: string[];
  geomColumn?: string;
  minzoom?: number;
  maxzoom?: number;
  maxAgeSeconds?: number;
  anywhere?: boolean;
  /** Below `fromZoom`, one feature per cell with `count` and these aggregates. */
  clusters?: { fromZoom: number; aggregates: string; fields: Record<string, TileField> };
  /** The layer's data as an OGC API collection, over the first table of `from`. */
  collection: CollectionSpec;
}

export function tableLayer(spec: TableLayerSpec): TileLayer {
  const geom = spec.geomColumn ?? 'geom3857';
  const table = spec.from.split(/\s/)[0];
  const raw = tileSql(asMvt(spec.id, `SELECT ${spec.columns}, ${mvtGeom(geom)} AS geom FROM ${spec.from}, env WHERE ${geom} && env.b`, 'id', { filtered: true }));
  const clustered = spec.clusters && tileSql(asMvt(spec.id, clusterSql(spec.id, spec.from, spec.clusters.aggregates), undefined, { filtered: true }));
  const fromZoom = spec.clusters?.fromZoom ?? 0;
  return {
    id: spec.id,
    name: spec.name,
    description: spec.tileNote ? `${spec.description} ${spec.tileNote}` : spec.description,
    minzoom: spec.minzoom ?? 8,
    maxzoom: spec.maxzoom ?? 18,
    tables: spec.tables ?? [table],
    maxAgeSeconds: spec.maxAgeSeconds ?? 0,
    anywhere: spec.anywhere,
    vectorLayers: [{
      id: spec.id,
      description: spec.clusters ? `${spec.name.en}; features with \`count\` are clusters (z<${fromZoom})` : `One feature per row of ${table}`,
      fields: { ...spec.fields, ...(spec.clusters ? { count: 'Number: features in the cluster', ...spec.clusters.fields } : {}) },
    }],
    tile: ({ db, z, x, y }) =>
      clustered && z < fromZoom
        ? runTile(db, `tile_${spec.id}_cl`, clustered, z, x, y)
        : runTile(db, `tile_${spec.id}`, raw, z, x, y),
    collections: [collectionOf({ id: spec.id, name: spec.name, description: spec.description, table }, spec.collection)],
  };
}
