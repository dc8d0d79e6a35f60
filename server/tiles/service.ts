// What the HTTP side may ask of tiles: the catalogue, TileJSON, and a tile's bytes (cached, invalidated
// by the change feed). Routes only parse, validate and call this.
import type { DataChange } from '../live/changes.ts';
import { TileCache, type TileEntry } from './cache.ts';
import { fieldsText } from './fields.ts';
import { BUFFER, EXTENT } from './sql.ts';
import type { Queryable, TileLayer } from './types.ts';

/** Wuchang with a margin, for TileJSON bounds and centre. */
export const BOUNDS: [number, number, number, number] = [114.17, 30.42, 114.43, 30.65];
export const WORLD: [number, number, number, number] = [-180, -85.0511, 180, 85.0511];
export const CENTER: [number, number, number] = [114.33, 30.555, 12];

export class UnknownLayerError extends Error {}
export class ZoomRangeError extends Error {}

export class TileService {
  private byTable = new Map<string, string[]>();

  constructor(
    readonly layers: Map<string, TileLayer>,
    private readonly db: Queryable,
    readonly cache = new TileCache(),
  ) {
    for (const layer of layers.values()) {
      for (const t of layer.tables) this.byTable.set(t, [...(this.byTable.get(t) ?? []), layer.id]);
    }
  }

  layer(id: string): TileLayer {
    const layer = this.layers.get(id);
    if (!layer) throw new UnknownLayerError(`unknown tile layer "${id.slice(0, 60)}"; known: ${[...this.layers.keys()].join(', ')}`);
    return layer;
  }

  async tile(id: string, z: number, x: number, y: number): Promise<TileEntry> {
    const layer = this.layer(id);
    if (z < layer.minzoom || z > layer.maxzoom) {
      throw new ZoomRangeError(`layer ${id} has tiles for zooms ${layer.minzoom}–${layer.maxzoom}, not ${z}`);
    }
    return this.cache.get(id, z, x, y, () => layer.tile({ db: this.db, z, x, y }));
  }

  /** Applies a change from the feed; returns how many cached tiles it evicted. */
  applyChange(change: DataChange): number {
    let n = 0;
    for (const id of this.byTable.get(change.table) ?? []) n += this.cache.invalidate(id, change.bbox, BUFFER / EXTENT);
    return n;
  }

  tileJson(id: string, baseUrl: string) {
    const layer = this.layer(id);
    return {
      tilejson: '3.0.0',
      name: layer.id,
      description: layer.description,
      attribution: '武昌“一张图” · 合成数据 Synthetic data',
      version: '1.0.0',
      scheme: 'xyz',
      tiles: [`${baseUrl}/tiles/${layer.id}/{z}/{x}/{y}.mvt`],
      minzoom: layer.minzoom,
      maxzoom: layer.maxzoom,
      // A map client requests no tile outside the bounds: layers that hold imported networks span the world.
      bounds: layer.anywhere ? WORLD : BOUNDS,
      center: CENTER,
      vector_layers: layer.vectorLayers.map((v) => ({
        id: v.id,
        description: v.description,
        fields: fieldsText(v.fields),
        minzoom: v.minzoom ?? layer.minzoom,
        maxzoom: v.maxzoom ?? layer.maxzoom,
      })),
      'x-name': layer.name,
    };
  }

  index(baseUrl: string) {
    return [...this.layers.values()].map((l) => ({
      id: l.id,
      name: l.name,
      description: l.description,
      minzoom: l.minzoom,
      maxzoom: l.maxzoom,
      tilejson: `${baseUrl}/tiles/${l.id}.json`,
      vector_layers: l.vectorLayers.map((v) => v.id),
    }));
  }
}
