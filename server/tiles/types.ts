// A tile layer is a small object, as in Martin: an id, a zoom range, the fields it emits, the tables it
// reads (so the cache knows what a data change invalidates) and a function from z/x/y to MVT bytes. It is
// also the layer's one definition on the server: the OGC API collections its data is published as.
import type { CollectionDef, PropertyDef } from '../features/collection-def.ts';

export interface Queryable {
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    config: { name?: string; text: string; values?: unknown[] },
  ): Promise<{ rows: R[] }>;
}

export type TileField = string | PropertyDef;

export interface VectorLayer {
  id: string;
  description: string;
  /**
   * Field name → type and meaning, as TileJSON's vector_layers[].fields: a text ("Number: …"), or the
   * collection's property it shows, whose type, title and values TileJSON then states (fields.ts).
   */
  fields: Record<string, TileField>;
  minzoom?: number;
  maxzoom?: number;
}

export interface TileRequest {
  z: number;
  x: number;
  y: number;
  db: Queryable;
}

export interface TileLayer {
  id: string;
  name: { zh: string; en: string };
  description: string;
  minzoom: number;
  maxzoom: number;
  /** Tables whose rows the tiles show; a change to any of them invalidates the tiles it touches. */
  tables: string[];
  vectorLayers: VectorLayer[];
  /** Seconds a browser may reuse a tile without asking again (ETag revalidation after that). */
  maxAgeSeconds: number;
  /** Data can lie anywhere (imported networks): TileJSON bounds are the world, not Wuchang. */
  anywhere?: boolean;
  /**
   * Its tiles are for logged-in users only: an anonymous request naming it, alone or in a composite, is
   * refused with 401 (so a composite never quietly lacks a layer), and its tiles are cached privately.
   */
  needsAccount?: boolean;
  tile(req: TileRequest): Promise<Buffer>;
  /**
   * The OGC API – Features collections of this layer's data (/api/collections, the details and query
   * APIs): usually one with the layer's id; the basemap publishes one per area or line kind it draws.
   */
  collections: readonly CollectionDef[];
}
