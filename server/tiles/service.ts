// What the HTTP side may ask of tiles: the catalogue, TileJSON, and a tile's bytes (cached, invalidated
// by the change feed). Routes only parse, validate and call this.
import { createHash, randomInt } from 'node:crypto';
import { COMPOSITE_MAX_LAYERS } from '../../common/api/tiles.ts';
import { UNKNOWN_LSN } from '../db/lsn.ts';
import { neededLsn } from '../db/read-scope.ts';
import { replicaOf } from '../db/replica.ts';
import type { ChangeLsn, DataChange } from '../live/changes.ts';
import { TileCache, type TileEntry, type TileRead } from './cache.ts';
import { CompositeCache } from './composite.ts';
import { fieldsText } from './fields.ts';
import { BUFFER, EXTENT } from './sql.ts';
import type { Queryable, TileLayer } from './types.ts';

/** Wuchang with a margin, for TileJSON bounds and centre. */
export const BOUNDS: [number, number, number, number] = [114.17, 30.42, 114.43, 30.65];
export const WORLD: [number, number, number, number] = [-180, -85.0511, 180, 85.0511];
export const CENTER: [number, number, number] = [114.33, 30.555, 12];

export class UnknownLayerError extends Error {}
export class ZoomRangeError extends Error {}
/** A composite that cannot be made: too many layers, one named twice, two with the same vector layer. */
export class CompositeError extends Error {}

export class TileService {
  private byTable = new Map<string, string[]>();
  readonly composites = new CompositeCache();
  /**
   * A layer's data version: the transaction that last changed it, as the change feed heard it (`x<xid>`).
   * Every instance hears the same transactions in commit order, so they agree on it. Until the first change
   * is heard (and after a local change or a lost feed) it is this process's own: its boot tag and how many
   * times the layer's tiles were invalidated, never naming tiles made from other data.
   */
  private readonly boot = Date.now().toString(36) + randomInt(36 ** 4).toString(36).padStart(4, '0');
  private heard = new Map<string, string>();
  /**
   * With a standby: the primary's position after the last change heard to each layer, and, for layers not
   * changed since, when the change feed began listening. A tile the standby made is kept only when it had
   * replayed that far (it shows every change whose invalidation this cache has seen).
   */
  private changedAt = new Map<string, ChangeLsn>();
  private listeningSince = UNKNOWN_LSN;

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

  /** The layers a path segment names ("pipes" or "basemap,grids,pipes"), in its order. */
  layersOf(spec: string): TileLayer[] {
    const ids = spec.split(',');
    if (ids.length > COMPOSITE_MAX_LAYERS) throw new CompositeError(`a composite tile names at most ${COMPOSITE_MAX_LAYERS} layers, not ${ids.length}`);
    const layers: TileLayer[] = [];
    const vectorLayers = new Map<string, string>();
    for (const id of ids) {
      if (!id) throw new CompositeError(`"${spec.slice(0, 80)}" has an empty layer name; separate layer ids by single commas`);
      const layer = this.layer(id);
      if (layers.includes(layer)) throw new CompositeError(`layer "${id}" is named twice`);
      for (const v of layer.vectorLayers) {
        const other = vectorLayers.get(v.id);
        if (other) throw new CompositeError(`layers ${other} and ${id} both have a vector layer "${v.id}"; they cannot share one tile`);
        vectorLayers.set(v.id, id);
      }
      layers.push(layer);
    }
    return layers;
  }

  /** Changes whenever the data of one of the layers changes: 16 hex digits naming each layer's version. */
  version(layers: readonly TileLayer[]): string {
    const parts = layers.map((l) => `${l.id}:${this.heard.get(l.id) ?? `${this.boot}.${this.cache.epochOf(l.id)}`}`);
    return createHash('sha1').update(parts.join(',')).digest('hex').slice(0, 16);
  }

  /**
   * The named layers in one tile. Each layer is a part from the tile cache (shared with its single-layer
   * tiles, invalidated on its own); a layer outside its zoom range is left out of the tile, as a single
   * source would have no tile there.
   */
  async composite(layers: readonly TileLayer[], z: number, x: number, y: number): Promise<TileEntry> {
    if (layers.length === 1) return this.tile(layers[0].id, z, x, y);
    const inRange = layers.filter((l) => z >= l.minzoom && z <= l.maxzoom);
    if (inRange.length === 0) {
      const min = Math.min(...layers.map((l) => l.minzoom));
      const max = Math.max(...layers.map((l) => l.maxzoom));
      throw new ZoomRangeError(`layers ${layers.map((l) => l.id).join(',')} have tiles for zooms ${min}–${max}, not ${z}`);
    }
    const parts = await Promise.all(inRange.map((l) => this.tile(l.id, z, x, y)));
    return this.composites.assemble(`${inRange.map((l) => l.id).join(',')}/${z}/${x}/${y}`, parts);
  }

  async tile(id: string, z: number, x: number, y: number): Promise<TileEntry> {
    const layer = this.layer(id);
    if (z < layer.minzoom || z > layer.maxzoom) {
      throw new ZoomRangeError(`layer ${id} has tiles for zooms ${layer.minzoom}–${layer.maxzoom}, not ${z}`);
    }
    const replica = replicaOf(this.db);
    return this.cache.get(id, z, x, y, () => layer.tile({ db: this.db, z, x, y }), replica && (async (): Promise<TileRead> => {
      const read = await replica.choose();
      const need = neededLsn();
      return {
        lsn: read?.lsn ?? null,
        accepts: (lsn) => lsn === null || lsn >= need,
        run: (fn) => replica.run(read, fn),
        keep: async () => read !== null && read.lsn >= await this.changeHeard(id),
      };
    }));
  }

  /** Applies a change from the feed (`lsn`: the primary's position once it was heard); returns how many cached tiles it evicted. */
  applyChange(change: DataChange, lsn?: ChangeLsn): number {
    let n = 0;
    for (const id of this.byTable.get(change.table) ?? []) {
      if (lsn) this.changedAt.set(id, lsn);
      if (change.xid) this.heard.set(id, `x${change.xid}`);
      else this.heard.delete(id);
      n += this.cache.invalidate(id, change.bbox, BUFFER / EXTENT);
    }
    return n;
  }

  /** The change feed was lost: changes may have been missed, so every cached tile and shared version goes. */
  reset(): void {
    this.heard.clear();
    this.cache.clear();
  }

  /** With a standby: the primary's position after the last change heard to the layer (UNKNOWN_LSN before the feed listens). */
  changeHeard(layer: string): Promise<bigint> {
    return this.changedAt.get(layer) ?? Promise.resolve(this.listeningSince);
  }

  /** The change feed (re)connected at the primary's position `lsn`: every change after it will be heard. */
  listening(lsn: bigint): void {
    this.listeningSince = lsn;
    this.changedAt.clear();
  }

  /** The TileJSON of one layer or of a composite ("basemap,grids,pipes"). */
  tileJson(spec: string, baseUrl: string) {
    const layers = this.layersOf(spec);
    const ids = layers.map((l) => l.id).join(',');
    return {
      tilejson: '3.0.0',
      name: ids,
      description: layers.length === 1 ? layers[0].description : layers.map((l) => `${l.id}: ${l.description}`).join(' '),
      attribution: '武昌“一张图” · 合成数据 Synthetic data',
      version: '1.0.0',
      scheme: 'xyz',
      // Versioned: a tile URL names one state of the data, so it may be cached for good (routes/tiles.ts).
      tiles: [`${baseUrl}/tiles/${ids}/{z}/{x}/{y}.mvt?v=${this.version(layers)}`],
      minzoom: Math.min(...layers.map((l) => l.minzoom)),
      maxzoom: Math.max(...layers.map((l) => l.maxzoom)),
      // A map client requests no tile outside the bounds: layers that hold imported networks span the world.
      bounds: layers.some((l) => l.anywhere) ? WORLD : BOUNDS,
      center: CENTER,
      vector_layers: layers.flatMap((layer) => layer.vectorLayers.map((v) => ({
        id: v.id,
        description: v.description,
        fields: fieldsText(v.fields),
        minzoom: v.minzoom ?? layer.minzoom,
        maxzoom: v.maxzoom ?? layer.maxzoom,
      }))),
      'x-name': { zh: layers.map((l) => l.name.zh).join('、'), en: layers.map((l) => l.name.en).join(', ') },
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
