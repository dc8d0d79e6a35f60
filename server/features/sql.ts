// SQL building blocks shared by the Catalog: bound parameters and the GeoJSON a collection's rows become.
// Features are serialised by PostgreSQL straight to text (ST_AsGeoJSON + json_build_object), so Node only
// joins strings: no JSON.parse/stringify round trip per feature.
import { propertySql, type CollectionDef } from './collections.ts';

/** Bound parameters: `add` returns the placeholder ($n, with an optional cast) for a value. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }
}

/** Decimal places of coordinates in output: 7 ≈ 1 cm. */
export const COORD_DECIMALS = 7;

export function keySql(c: CollectionDef): string {
  return `t.${c.key.column}`;
}

/** The feature id as JSON text: a number, or a string for code-keyed collections. */
export function idJsonSql(c: CollectionDef): string {
  return c.key.type === 'code' ? `to_json(${keySql(c)})::text` : `${keySql(c)}::text`;
}

/**
 * Every property as a JSON object (text). row_to_json of a row of named columns: compact output, the
 * properties in their declared order, and about twice as fast as json_build_object.
 */
export function propertiesJsonSql(c: CollectionDef): string {
  const cols = Object.entries(c.properties).map(([name, p]) => `${propertySql(p, name)} AS "${name}"`);
  return `row_to_json((SELECT p FROM (SELECT ${cols.join(', ')}) p))::text`;
}

export function geometryJsonSql(geom = 't.geom'): string {
  return `coalesce(ST_AsGeoJSON(${geom}, ${COORD_DECIMALS}), 'null')`;
}

/** One GeoJSON Feature as text, from a row of `c`'s table aliased `t`. */
export function featureJsonSql(c: CollectionDef): string {
  return `'{"type":"Feature","id":' || ${idJsonSql(c)} || ',"geometry":' || ${geometryJsonSql()} || ',"properties":' || ${propertiesJsonSql(c)} || '}'`;
}

/** A point of a row's geometry to label it on a map: itself, a point on a surface, the middle of a line. */
export function anchorSql(geom = 't.geom'): string {
  return `CASE WHEN GeometryType(${geom}) IN ('POINT') THEN ${geom}
               WHEN GeometryType(${geom}) IN ('LINESTRING') THEN ST_LineInterpolatePoint(${geom}, 0.5)
               ELSE ST_PointOnSurface(${geom}) END`;
}
