// A tile layer is a small object, as in Martin: an id, a zoom range, the fields it emits, the tables it
// reads (so the cache knows what a data change invalidates) and a function from z/x/y to MVT bytes.

export interface Queryable {
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    config: { name?: string; text: string; values?: unknown[] },
  ): Promise<{ rows: R[] }>;
}

export interface VectorLayer {
  id: string;
  description: string;
  /** Field name → type and meaning, as TileJSON's vector_layers[].fields. */
  fields: Record<string, string>;
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
  tile(req: TileRequest): Promise<Buffer>;
}
