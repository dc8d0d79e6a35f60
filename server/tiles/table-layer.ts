// A tile layer over one table (or join) of features, like Martin's table sources: the columns to show,
// and optionally clusters below a zoom. Layers with their own shapes (basemap, merged pipes, cases)
// build a TileLayer by hand instead.
import { asMvt, clusterSql, mvtGeom, runTile, tileSql } from './sql.ts';
import type { TileLayer } from './types.ts';

export interface TableLayerSpec {
  id: string;
  name: { zh: string; en: string };
  description: string;
  /** FROM clause; its features have `geom3857` (or `geomColumn`) and an integer `id`. */
  from: string;
  /** SELECT list of the properties. */
  columns: string;
  fields: Record<string, string>;
  /** Tables whose changes invalidate the tiles; defaults to the first word of `from`. */
  tables?: string[];
  geomColumn?: string;
  minzoom?: number;
  maxzoom?: number;
  maxAgeSeconds?: number;
  anywhere?: boolean;
  /** Below `fromZoom`, one feature per cell with `count` and these aggregates. */
  clusters?: { fromZoom: number; aggregates: string; fields: Record<string, string> };
}

export function tableLayer(spec: TableLayerSpec): TileLayer {
  const geom = spec.geomColumn ?? 'geom3857';
  const raw = tileSql(asMvt(spec.id, `SELECT ${spec.columns}, ${mvtGeom(geom)} AS geom FROM ${spec.from}, env WHERE ${geom} && env.b`, 'id'));
  const clustered = spec.clusters && tileSql(asMvt(spec.id, clusterSql(spec.id, spec.from, spec.clusters.aggregates)));
  const fromZoom = spec.clusters?.fromZoom ?? 0;
  return {
    id: spec.id,
    name: spec.name,
    description: spec.description,
    minzoom: spec.minzoom ?? 8,
    maxzoom: spec.maxzoom ?? 18,
    tables: spec.tables ?? [spec.from.split(/\s/)[0]],
    maxAgeSeconds: spec.maxAgeSeconds ?? 0,
    anywhere: spec.anywhere,
    vectorLayers: [{
      id: spec.id,
      description: spec.clusters ? `${spec.name.en}; features with \`count\` are clusters (z<${fromZoom})` : `One feature per ${spec.name.en.toLowerCase()} row`,
      fields: { ...spec.fields, ...(spec.clusters ? { count: 'Number: features in the cluster', ...spec.clusters.fields } : {}) },
    }],
    tile: ({ db, z, x, y }) =>
      clustered && z < fromZoom
        ? runTile(db, `tile_${spec.id}_cl`, clustered, z, x, y)
        : runTile(db, `tile_${spec.id}`, raw, z, x, y),
  };
}
