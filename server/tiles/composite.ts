// Composite tiles (several layers in one MVT, as Martin's): assembled from the per-layer tiles of the tile
// cache, which stay the unit of caching and invalidation. A write to one layer drops only that layer's
// parts; the next composite request reuses the other parts and concatenates again (concatenated MVT
// layers are one valid tile). An assembled tile is kept only with the exact part entries it was made of,
// so it is reused (with its compressed variants) until one of its parts is replaced, and never after.
import { TileEntry } from './cache.ts';

interface Assembled {
  parts: readonly TileEntry[];
  entry: TileEntry;
}

export interface CompositeStats { entries: number; bytes: number; hits: number; assembled: number }

export class CompositeCache {
  private entries = new Map<string, Assembled>(); // insertion order = LRU order
  private bytes = 0;
  readonly stats: CompositeStats = { entries: 0, bytes: 0, hits: 0, assembled: 0 };

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  /**
   * The tile made of `parts` (in order) under `key`. Synchronous between the lookup and the store, so
   * concurrent identical requests, which await the same part entries, share one assembled entry.
   */
  assemble(key: string, parts: readonly TileEntry[]): TileEntry {
    const old = this.entries.get(key);
    if (old && old.parts.length === parts.length && old.parts.every((p, i) => p === parts[i])) {
      this.entries.delete(key);
      this.entries.set(key, old);
      this.stats.hits++;
      return old.entry;
    }
    if (old) this.drop(key, old);
    const entry = new TileEntry(Buffer.concat(parts.map((p) => p.raw)));
    this.stats.assembled++;
    if (entry.size <= this.maxBytes / 8) {
      this.entries.set(key, { parts, entry });
      this.bytes += entry.size;
      for (const [k, e] of this.entries) {
        if (this.bytes <= this.maxBytes) break;
        this.drop(k, e);
      }
    }
    this.stats.entries = this.entries.size;
    this.stats.bytes = this.bytes;
    return entry;
  }

  private drop(key: string, e: Assembled): void {
    this.entries.delete(key);
    this.bytes -= e.entry.size;
  }
}
