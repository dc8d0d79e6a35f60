// The pure parts of reading from a standby: WAL positions, the lag from sampled primary positions, and the
// tile cache's rules for tiles a standby made (join a read only when it shows the client's write; keep a
// tile only when it shows the layer's last change).
import { describe, expect, it } from 'vitest';
import { formatLsn, parseLsn } from '../../server/db/lsn.ts';
import { lagOf } from '../../server/db/replica.ts';
import { TileCache, type TileRead } from '../../server/tiles/cache.ts';

describe('WAL positions', () => {
  it('parse and print as PostgreSQL writes them, and order as bigints', () => {
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xB374D848n);
    expect(formatLsn(parseLsn('16/B374D848')!)).toBe('16/B374D848');
    expect(formatLsn(parseLsn('0/0')!)).toBe('0/0');
    expect(parseLsn('0/10')! < parseLsn('1/0')!).toBe(true);
  });

  it('are no position when a client sends anything else', () => {
    for (const bad of ['', '16', '16/', '/1', 'G/1', '1/2/3', '123456789/0', ' 1/2; x', undefined, null]) expect(parseLsn(bad)).toBeNull();
  });
});

describe('lag', () => {
  const samples = [{ at: 1_000, lsn: 100n }, { at: 2_000, lsn: 200n }, { at: 3_000, lsn: 300n }];

  it('is nothing once the standby has replayed the primary\'s last position', () => {
    expect(lagOf(samples, 300n, 3_500)).toEqual({ ms: 0, bytes: 0 });
  });

  it('counts from the first position the standby has not reached', () => {
    expect(lagOf(samples, 150n, 3_500)).toEqual({ ms: 1_500, bytes: 150 });
    expect(lagOf(samples, 50n, 3_500)).toEqual({ ms: 2_500, bytes: 250 });
  });
});

/** A read on a standby at `lsn` for a client whose last write is `need`; `keep` says whether its tile may be kept. */
function standbyRead(lsn: bigint, need: bigint, keep: boolean): TileRead {
  return { lsn, accepts: (l) => l === null || l >= need, run: (fn) => fn(), keep: async () => keep };
}
const settle = () => new Promise((r) => setImmediate(r));

describe('tiles a standby made', () => {
  it('are kept only when they show the layer\'s last change', async () => {
    const cache = new TileCache();
    await cache.get('l', 1, 0, 0, async () => Buffer.from('old'), async () => standbyRead(10n, 0n, false));
    await settle();
    expect(cache.has('l', 1, 0, 0)).toBe(false);
    await cache.get('l', 1, 0, 0, async () => Buffer.from('new'), async () => standbyRead(20n, 0n, true));
    await settle();
    expect(cache.has('l', 1, 0, 0)).toBe(true);
  });

  it('are not kept when the layer changed while they were kept waiting', async () => {
    const cache = new TileCache();
    let decide!: (keep: boolean) => void;
    const read: TileRead = { ...standbyRead(10n, 0n, true), keep: () => new Promise((r) => (decide = r)) };
    await cache.get('l', 1, 0, 0, async () => Buffer.from('t'), async () => read);
    cache.invalidate('l', null, 0);
    decide(true);
    await settle();
    expect(cache.has('l', 1, 0, 0)).toBe(false);
  });

  it('are shared only with requests whose client\'s write they show', async () => {
    const cache = new TileCache();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let made = 0;
    const make = async () => { made++; await gate; return Buffer.from(`t${made}`); };
    const first = cache.get('l', 1, 0, 0, make, async () => standbyRead(10n, 0n, true));
    await settle();
    // Its write is at 15: the read under way at 10 does not show it; one at 10 is enough for a write at 5.
    const writer = cache.get('l', 1, 0, 0, make, async () => standbyRead(20n, 15n, true));
    await settle();
    const other = cache.get('l', 1, 0, 0, make, async () => standbyRead(20n, 5n, true));
    await settle();
    release();
    const [a, b, c] = await Promise.all([first, writer, other]);
    expect(made).toBe(2);
    expect(a).not.toBe(b);
    expect(c).toBe(b);
  });
});
