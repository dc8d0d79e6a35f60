import { describe, expect, it } from 'vitest';
import { TileCache } from '../../server/tiles/cache.ts';
import { tileBounds, tilesCovering } from '../../server/tiles/tilemath.ts';

const bytes = (s: string) => async () => Buffer.from(s);

describe('TileCache', () => {
  it('serves a hit without calling the maker again and shares concurrent misses', async () => {
    const cache = new TileCache();
    let calls = 0;
    const make = async () => { calls++; return Buffer.from('tile'); };
    const [a, b] = await Promise.all([cache.get('l', 1, 0, 0, make), cache.get('l', 1, 0, 0, make)]);
    await cache.get('l', 1, 0, 0, make);
    expect(calls).toBe(1);
    expect(a).toBe(b);
    expect(cache.stats.hits).toBe(1);
  });

  it('evicts only tiles of the layer that meet the changed bbox', async () => {
    const cache = new TileCache();
    const here = tilesCovering([114.33, 30.555, 114.33, 30.555], 14)[0];
    await cache.get('cases', 14, here.x, here.y, bytes('a'));
    await cache.get('cases', 14, here.x + 5, here.y, bytes('b'));
    await cache.get('pipes', 14, here.x, here.y, bytes('c'));
    const evicted = cache.invalidate('cases', [114.33, 30.555, 114.33, 30.555], 64 / 4096);
    expect(evicted).toBe(1);
    expect(cache.has('cases', 14, here.x, here.y)).toBe(false);
    expect(cache.has('cases', 14, here.x + 5, here.y)).toBe(true);
    expect(cache.has('pipes', 14, here.x, here.y)).toBe(true);
  });

  it('a change next to a tile edge evicts the neighbour whose buffer shows it', async () => {
    const cache = new TileCache();
    const [w, , e] = tileBounds(14, 100, 100);
    const justEast = e + (e - w) * 0.005; // inside the 64/4096 buffer of tile 100 but in tile 101
    const lat = tileBounds(14, 100, 100)[1] + 0.0001;
    await cache.get('x', 14, 100, 100, bytes('a'));
    cache.invalidate('x', [justEast, lat, justEast, lat], 64 / 4096);
    expect(cache.has('x', 14, 100, 100)).toBe(false);
  });

  it('does not store a tile whose query overlapped an invalidation', async () => {
    const cache = new TileCache();
    let release!: () => void;
    const slow = () => new Promise<Buffer>((r) => { release = () => r(Buffer.from('stale')); });
    const pending = cache.get('x', 3, 1, 1, slow);
    cache.invalidate('x', null, 0);
    release();
    await pending;
    expect(cache.has('x', 3, 1, 1)).toBe(false);
  });

  it('keeps within its byte budget by dropping the least recently used', async () => {
    const cache = new TileCache(2000);
    for (let i = 0; i < 20; i++) await cache.get('x', 5, i, 0, async () => Buffer.alloc(100, i));
    expect(cache.stats.bytes).toBeLessThanOrEqual(2000);
    expect(cache.has('x', 5, 19, 0)).toBe(true);
    expect(cache.has('x', 5, 0, 0)).toBe(false);
  });

  it('compressed variants decode to the same bytes', async () => {
    const { gunzipSync, brotliDecompressSync } = await import('node:zlib');
    const cache = new TileCache();
    const e = await cache.get('x', 1, 1, 1, async () => Buffer.from('abc'.repeat(1000)));
    expect(gunzipSync(await e.bytes('gzip')).equals(e.raw)).toBe(true);
    expect(brotliDecompressSync(await e.bytes('br')).equals(e.raw)).toBe(true);
  });
});
