// The in-memory grid index answers point-in-polygon (holes and multipolygons included) without the
// database, falls back to the database for points it cannot place, and is bypassed while changes cannot
// be heard.
import { describe, expect, it } from 'vitest';
import { GridIndex } from '../../server/features/grid-index.ts';

const unit = (code: string) => ({
  code, area_m2: 100, community_code: code.slice(0, 12), community_name: `社区${code.slice(-3)}`,
  street_code: code.slice(0, 9), street_name: '街道', district_code: code.slice(0, 6), district_name: '武昌区',
});

// Two unit squares side by side; the first has a hole, the second is a multipolygon with an island.
const ROWS = [
  { ...unit('420106001001001'), coords: [[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], [[0.4, 0.4], [0.6, 0.4], [0.6, 0.6], [0.4, 0.6], [0.4, 0.4]]]] },
  { ...unit('420106001001002'), coords: [[[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]]]] },
];

function fakeDb() {
  const calls: string[] = [];
  return {
    calls,
    async query<R>(q: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: R[] }> {
      calls.push(q.name ?? 'load');
      if (q.name === 'grid_at') return { rows: [{ ...unit('420106001001999'), bbox: [3, 3, 4, 4] }] as R[] };
      return { rows: ROWS as R[] };
    },
  };
}

describe('GridIndex', () => {
  it('places points inside polygons, respecting holes and multipolygon parts, without asking the database', async () => {
    const db = fakeDb();
    const idx = new GridIndex(db, () => true);
    expect((await idx.at(0.2, 0.2))?.grid.code).toBe('420106001001001');
    expect((await idx.at(1.5, 0.5))?.grid.code).toBe('420106001001002');
    expect((await idx.at(5.5, 5.5))?.grid.code).toBe('420106001001002');
    expect((await idx.at(0.2, 0.2))?.community).toEqual({ code: '420106001001', name: '社区001' });
    // The grid's extent (for a map that shows all of it), every part included.
    expect((await idx.at(1.5, 0.5))?.grid.bbox).toEqual([1, 0, 6, 6]);
    expect(db.calls).toEqual(['load']);
    expect(idx.stats).toEqual({ loads: 1, fallbacks: 0 });
  });

  it('a point no polygon claims (a hole, outside) is asked of the database', async () => {
    const db = fakeDb();
    const idx = new GridIndex(db, () => true);
    expect((await idx.at(0.5, 0.5))?.grid.code).toBe('420106001001999');
    expect((await idx.at(3, 3))?.grid.code).toBe('420106001001999');
    expect(db.calls).toEqual(['load', 'grid_at', 'grid_at']);
  });

  it('is rebuilt after invalidate, and not used at all while changes cannot be heard', async () => {
    const db = fakeDb();
    let connected = true;
    const idx = new GridIndex(db, () => connected);
    await idx.at(0.2, 0.2);
    idx.mirror.invalidate();
    await idx.at(0.2, 0.2);
    expect(idx.stats.loads).toBe(2);
    connected = false;
    expect((await idx.at(0.2, 0.2))?.grid.code).toBe('420106001001999');
    expect(db.calls.at(-1)).toBe('grid_at');
  });
});
