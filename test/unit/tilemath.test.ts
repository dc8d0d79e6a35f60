import { describe, expect, it } from 'vitest';
import { intersects, parseTile, TileRangeError, tileBounds, tilesCovering } from '../../server/tiles/tilemath.ts';
import { pickEncoding } from '../../server/routes/tiles.ts';

describe('parseTile', () => {
  it('accepts the corners of the zoom range', () => {
    expect(parseTile('0', '0', '0')).toEqual({ z: 0, x: 0, y: 0 });
    expect(parseTile('22', String(2 ** 22 - 1), '0')).toEqual({ z: 22, x: 2 ** 22 - 1, y: 0 });
  });
  it.each([
    ['23', '0', '0', /z must be between 0 and 22/],
    ['3', '8', '0', /x must be between 0 and 7/],
    ['3', '0', '8', /y must be between 0 and 7/],
    ['-1', '0', '0', /z must be a non-negative integer/],
    ['1.5', '0', '0', /z must be a non-negative integer/],
    ['1', "0' OR 1=1", '0', /x must be a non-negative integer/],
    ['1', '0', '', /y must be a non-negative integer/],
  ])('refuses z=%s x=%s y=%s', (z, x, y, msg) => {
    expect(() => parseTile(z, x, y)).toThrow(TileRangeError);
    expect(() => parseTile(z, x, y)).toThrow(msg);
  });
});

describe('tile bounds', () => {
  it('the z0 tile is the whole Mercator world', () => {
    const [w, s, e, n] = tileBounds(0, 0, 0);
    expect([w, e]).toEqual([-180, 180]);
    expect(n).toBeCloseTo(85.0511, 3);
    expect(s).toBeCloseTo(-85.0511, 3);
  });
  it('tilesCovering finds the tile holding a point and tileBounds contains it', () => {
    const [{ x, y }] = tilesCovering([114.33, 30.555, 114.33, 30.555], 14);
    expect(intersects(tileBounds(14, x, y), [114.33, 30.555, 114.33, 30.555])).toBe(true);
    expect(intersects(tileBounds(14, x + 2, y), [114.33, 30.555, 114.33, 30.555])).toBe(false);
  });
});

describe('pickEncoding', () => {
  it.each([
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['identity', 'identity'],
    [undefined, 'identity'],
    ['*', 'br'],
  ])('%s → %s', (header, enc) => expect(pickEncoding(header)).toBe(enc));
});
