// Every layer's data as OGC API – Features collections. Each layer states its collections in its tiles/
// module (found by the tile registry); the few without tiles are stated here. The Catalog builds all SQL
// from these definitions; a property that is not listed in one can never reach a query (the whitelist
// for CQL2 and ?name=value filters).
import { VEHICLE_KINDS, VEHICLE_STATUSES } from '../../common/enums.ts';
import { TILE_LAYERS } from '../tiles/registry.ts';
import { synthetic, type CollectionDef, type PropertyDef } from './collection-def.ts';

export type { CollectionDef, PropType, PropertyDef } from './collection-def.ts';

/** Collections without a tile layer: vehicles move every few seconds and the map draws them from /api/vehicles. */
const UNTILED: readonly CollectionDef[] = [
  {
    id: 'vehicles', order: 110, table: 'vehicles', title: 'GPS vehicles', titleZh: '车辆',
    description: 'Sanitation, drainage, inspection and emergency vehicles at their last reported position.',
    key: { column: 'id', type: 'integer' }, geometryType: 'Point', datetime: 'updated_at', label: { code: 't.plate' },
    properties: {
      plate: { type: 'string', title: 'Plate' },
      kind: { type: 'string', title: 'Kind', enum: VEHICLE_KINDS },
      status: { type: 'string', title: 'Status', enum: VEHICLE_STATUSES },
      speed_kmh: { type: 'number', title: 'Speed (km/h)' },
      heading_deg: { type: 'number', title: 'Heading (°)' },
      updated_at: { type: 'date-time', title: 'Position time' },
      synthetic,
    },
  },
];

export const COLLECTIONS: readonly CollectionDef[] = [...[...TILE_LAYERS.values()].flatMap((l) => l.collections), ...UNTILED]
  .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));

for (const [i, c] of COLLECTIONS.entries()) {
  if (COLLECTIONS.findIndex((o) => o.id === c.id) !== i) throw new Error(`two layers define the collection "${c.id}"`);
}

export const COLLECTION_IDS = COLLECTIONS.map((c) => c.id);
const BY_ID = new Map(COLLECTIONS.map((c) => [c.id, c]));

export function findCollection(id: string): CollectionDef | undefined {
  return BY_ID.get(id);
}

/** The SQL expression of a property. */
export function propertySql(p: PropertyDef, name: string): string {
  return p.sql ?? `t.${name}`;
}

/** The PostgreSQL type a value compared with the property is cast to. */
export function propertyPgType(p: PropertyDef): string {
  if (p.pg) return p.pg;
  switch (p.type) {
    case 'string': return 'text';
    case 'integer': return 'bigint';
    case 'number': return 'float8';
    case 'boolean': return 'boolean';
    case 'date': return 'date';
    case 'date-time': return 'timestamptz';
  }
}

/**
 * The queryable property `name` of `c`. Its own entries only: a name every object inherits (toString,
 * constructor, __proto__, valueOf…) is an unknown property like any other, not a function that reaches SQL.
 */
export function queryableProperty(c: CollectionDef, name: string): PropertyDef | undefined {
  const p = Object.hasOwn(c.properties, name) ? c.properties[name] : undefined;
  return p && p.queryable !== false ? p : undefined;
}

export function queryableNames(c: CollectionDef): string[] {
  return Object.entries(c.properties).filter(([, p]) => p.queryable !== false).map(([n]) => n);
}

/** Names that mean the geometry in CQL2 (`geometry` is what the queryables document calls it). */
export const GEOMETRY_NAMES = new Set(['geometry', 'geom']);
