// CRS arguments, CGCS2000 Gauss-Krüger codes, guessing the zone of projected metres, landing and swap
// checks, and the GCJ-02 / BD-09 corrections (server/importers/shapes/crs.ts, crs-check.ts, tmerc.ts). The EPSG
// parameters are checked against GDAL in test/integration/import-shapes.test.ts; the projected truths
// here come from `gdaltransform -s_srs EPSG:4326 -t_srs EPSG:4547` (GDAL 3.6, PROJ 9).
import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { coordinateKind, distanceKm, guessProjected, landingCheck, type Bbox, type LonLat } from '../../server/importers/shapes/crs-check.ts';
import { computedHere, crsFromHeader, describeCrs, gaussKruger, gaussKrugerEpsg, parseCrs, toWgs84, zoneNear } from '../../server/importers/shapes/crs.ts';
import { tmForward, tmInverse, webMercatorForward } from '../../server/importers/shapes/tmerc.ts';

const WUCHANG: LonLat = [114.32, 30.55];
const WUCHANG_BBOX: Bbox = [114.25, 30.47, 114.42, 30.64];

describe('parsing a CRS argument', () => {
  it('EPSG codes in every spelling, and names', () => {
    for (const s of ['EPSG:4547', '4547', 'epsg:4547', ' EPSG::4547 ', 'urn:ogc:def:crs:EPSG::4547']) expect(parseCrs(s), s).toEqual({ kind: 'epsg', epsg: 4547 });
    expect(parseCrs('wgs84')).toEqual({ kind: 'epsg', epsg: 4326 });
    expect(parseCrs('WGS-84')).toEqual({ kind: 'epsg', epsg: 4326 });
    expect(parseCrs('CGCS2000')).toEqual({ kind: 'epsg', epsg: 4490 });
    expect(parseCrs('webmercator')).toEqual({ kind: 'epsg', epsg: 3857 });
    expect(parseCrs('Web_Mercator')).toEqual({ kind: 'epsg', epsg: 3857 });
    expect(parseCrs('gcj02')).toEqual({ kind: 'gcj02' });
    expect(parseCrs('GCJ-02')).toEqual({ kind: 'gcj02' });
    expect(parseCrs('bd09')).toEqual({ kind: 'bd09' });
    expect(parseCrs('BD-09')).toEqual({ kind: 'bd09' });
  });

  it('anything else is refused with what to give', () => {
    for (const s of ['', 'utm', 'EPSG:12', 'EPSG:4547x', '+proj=tmerc']) expect(() => parseCrs(s), s).toThrow(/give EPSG:<code> .* wgs84, cgcs2000, webmercator, gcj02, bd09/);
  });
});

describe('CGCS2000 Gauss-Krüger codes', () => {
  it('the four families, both ends of each, and Wuhan', () => {
    expect(gaussKruger(4491)).toEqual({ epsg: 4491, width: 6, zone: 13, cm: 75, prefixed: true, falseEasting: 13_500_000 });
    expect(gaussKruger(4501)).toMatchObject({ width: 6, zone: 23, cm: 135, prefixed: true, falseEasting: 23_500_000 });
    expect(gaussKruger(4502)).toMatchObject({ width: 6, cm: 75, prefixed: false, falseEasting: 500_000 });
    expect(gaussKruger(4512)).toMatchObject({ width: 6, cm: 135, prefixed: false });
    expect(gaussKruger(4513)).toMatchObject({ width: 3, zone: 25, cm: 75, prefixed: true, falseEasting: 25_500_000 });
    expect(gaussKruger(4533)).toMatchObject({ width: 3, zone: 45, cm: 135, prefixed: true });
    expect(gaussKruger(4534)).toMatchObject({ width: 3, cm: 75, prefixed: false });
    expect(gaussKruger(4554)).toMatchObject({ width: 3, cm: 135, prefixed: false });
    expect(gaussKruger(4547)).toMatchObject({ width: 3, zone: 38, cm: 114, prefixed: false, falseEasting: 500_000 });
    expect(gaussKruger(4526)).toMatchObject({ width: 3, zone: 38, cm: 114, prefixed: true, falseEasting: 38_500_000 });
    expect(gaussKruger(4509)).toMatchObject({ width: 6, zone: 20, cm: 117 });
    expect(gaussKruger(4490)).toBeNull();
    expect(gaussKruger(4555)).toBeNull();
  });

  it('codes from zones, and the zone nearest a longitude', () => {
    for (let epsg = 4491; epsg <= 4554; epsg++) {
      const gk = gaussKruger(epsg)!;
      expect(gaussKrugerEpsg(gk.width, gk.zone, gk.prefixed)).toBe(epsg);
    }
    expect(gaussKrugerEpsg(3, 24, false)).toBeNull();
    expect(gaussKrugerEpsg(6, 24, true)).toBeNull();
    expect(zoneNear(114.32, 3)).toBe(38);
    expect(zoneNear(114.32, 6)).toBe(20);
    expect(zoneNear(113.4, 3)).toBe(38);
    expect(zoneNear(112.6, 3)).toBe(38);
    expect(zoneNear(112.4, 3)).toBe(37);
  });

  it('described in words', () => {
    expect(describeCrs({ kind: 'epsg', epsg: 4547 })).toBe('EPSG:4547 (CGCS2000 3° Gauss-Krüger, CM 114°E, no zone prefix)');
    expect(describeCrs({ kind: 'epsg', epsg: 4526 })).toBe('EPSG:4526 (CGCS2000 3° Gauss-Krüger, CM 114°E, zone 38 prefix in the easting)');
    expect(describeCrs({ kind: 'epsg', epsg: 4490 })).toBe('EPSG:4490 (CGCS2000 longitude/latitude)');
    expect(describeCrs({ kind: 'epsg', epsg: 2383 })).toBe('EPSG:2383');
    expect(describeCrs({ kind: 'gcj02' })).toMatch(/^GCJ-02/);
  });
});

describe('transverse Mercator', () => {
  const gk114 = { lon0: 114, x0: 500_000, k0: 1 };
  it('matches PROJ to 1 mm, and inverts', () => {
    const truth: [LonLat, [number, number]][] = [
      [[114.3, 30.55], [528785.000829802, 3381123.10415123]],
      [[116.9, 35.2], [764128.066575235, 3900636.40449054]],
      [[109.1, 20.1], [-12926.9924560767, 2230987.14501299]],
    ];
    for (const [ll, xy] of truth) {
      const [x, y] = tmForward(ll[0], ll[1], gk114);
      expect(Math.abs(x - xy[0])).toBeLessThan(0.001);
      expect(Math.abs(y - xy[1])).toBeLessThan(0.001);
      const back = tmInverse(xy[0], xy[1], gk114);
      expect(distanceKm(back, ll) * 1000).toBeLessThan(0.001);
    }
  });

  it('toWgs84 for GK zones (with and without prefix) and Web Mercator; other codes are GDAL\'s', () => {
    const [x, y] = tmForward(114.3, 30.55, gk114);
    expect(distanceKm(toWgs84(x, y, { kind: 'epsg', epsg: 4547 }), [114.3, 30.55]) * 1000).toBeLessThan(0.001);
    expect(distanceKm(toWgs84(x + 38e6, y, { kind: 'epsg', epsg: 4526 }), [114.3, 30.55]) * 1000).toBeLessThan(0.001);
    const [mx, my] = webMercatorForward(114.3, 30.55);
    expect(distanceKm(toWgs84(mx, my, { kind: 'epsg', epsg: 3857 }), [114.3, 30.55]) * 1000).toBeLessThan(0.001);
    expect(toWgs84(114.3, 30.55, { kind: 'epsg', epsg: 4490 })).toEqual([114.3, 30.55]);
    expect(() => toWgs84(1, 2, { kind: 'epsg', epsg: 2383 })).toThrow(/GDAL/);
    expect(computedHere({ kind: 'epsg', epsg: 2383 })).toBe(false);
    expect(computedHere({ kind: 'epsg', epsg: 4547 })).toBe(true);
  });
});

describe('GCJ-02 and BD-09', () => {
  it('points copied from Amap and Baidu come back to WGS84 within 1 m (gcoord, round trip)', () => {
    for (const truth of [[114.3055, 30.5928], [114.35, 30.52], [114.28, 30.61]] as LonLat[]) {
      const gcj = gcoord.transform(truth, gcoord.WGS84, gcoord.GCJ02) as LonLat;
      const bd = gcoord.transform(truth, gcoord.WGS84, gcoord.BD09) as LonLat;
      // The offsets are hundreds of metres, which is why they must be corrected.
      expect(distanceKm(gcj, truth) * 1000).toBeGreaterThan(100);
      expect(distanceKm(bd, truth) * 1000).toBeGreaterThan(100);
      expect(distanceKm(toWgs84(gcj[0], gcj[1], { kind: 'gcj02' }), truth) * 1000).toBeLessThan(1);
      expect(distanceKm(toWgs84(bd[0], bd[1], { kind: 'bd09' }), truth) * 1000).toBeLessThan(1);
    }
  });
});

describe('what coordinates look like', () => {
  it('lon/lat, swapped, projected, mixed, none', () => {
    expect(coordinateKind([[114.3, 30.55], [114.31, 30.56]])).toEqual({ kind: 'lonlat', message: null });
    const swapped = coordinateKind([[30.55, 114.3], [30.56, 114.31]]);
    expect(swapped.kind).toBe('swapped');
    expect(swapped.message).toMatch(/longitude and latitude look swapped .*map 经度 and 纬度 the other way round/);
    expect(coordinateKind([[528785, 3381123]])).toEqual({ kind: 'projected', message: null });
    expect(coordinateKind([[114.3, 30.55], [528785, 3381123]]).kind).toBe('mixed');
    expect(coordinateKind([[NaN, 1]]).kind).toBe('none');
    const surveyed = coordinateKind([[3381123, 528785]]);
    expect(surveyed.kind).toBe('swapped');
    expect(surveyed.message).toBe('X and Y look swapped: X 3,381,123 is a northing and Y 528,785 an easting (Chinese surveying calls the north coordinate X): map X to y and Y to x');
    expect(coordinateKind([[3381123, 38528785]]).kind).toBe('swapped');
    expect(coordinateKind([[38528785, 3381123]]).kind).toBe('projected');
    // Degrees outside China are not called swapped.
    expect(coordinateKind([[2.35, 48.85]]).kind).toBe('lonlat');
  });
});

describe('the CRS a column name states', () => {
  it('GCJ-02, BD-09, WGS84, CGCS2000 in brackets or suffixes; nothing otherwise', () => {
    expect(crsFromHeader('经度(GCJ02)')).toEqual({ kind: 'gcj02' });
    expect(crsFromHeader('经度（高德）')).toEqual({ kind: 'gcj02' });
    expect(crsFromHeader('lng_bd09')).toEqual({ kind: 'bd09' });
    expect(crsFromHeader('纬度(百度)')).toEqual({ kind: 'bd09' });
    expect(crsFromHeader('经度(WGS-84)')).toEqual({ kind: 'epsg', epsg: 4326 });
    expect(crsFromHeader('经度（CGCS2000）')).toEqual({ kind: 'epsg', epsg: 4490 });
    expect(crsFromHeader('经度')).toBeNull();
  });
});

describe('guessing the zone of projected metres', () => {
  const [x, y] = tmForward(114.33, 30.56, { lon0: 114, x0: 500_000, k0: 1 });

  it('a 6-digit easting: the no-prefix 3° code whose CM is nearest the district', () => {
    const g = guessProjected([[x, y], [x + 500, y - 300]], WUCHANG);
    expect(g.candidates[0].crs).toEqual({ kind: 'epsg', epsg: 4547 });
    expect(g.candidates[0].distance_km).toBeLessThan(3);
    expect(g.message).toBe(`the coordinates (x ${Math.round(x + 250).toLocaleString('en-US')}, y ${Math.round(y - 150).toLocaleString('en-US')}) look like EPSG:4547 (CGCS2000 3° Gauss-Krüger, CM 114°E, no zone prefix); give crs=EPSG:4547`);
    // The 6° codes beside it were tried and put the data ~290 km away.
    const six = g.candidates.find((c) => c.crs.kind === 'epsg' && c.crs.epsg === 4509)!;
    expect(six.distance_km).toBeGreaterThan(250);
  });

  it('an 8-digit easting starting with the zone: the prefixed code of that zone', () => {
    expect(guessProjected([[x + 38e6, y]], WUCHANG).candidates[0].crs).toEqual({ kind: 'epsg', epsg: 4526 });
    const [x6, y6] = tmForward(114.33, 30.56, { lon0: 117, x0: 20_500_000, k0: 1 });
    const g6 = guessProjected([[x6, y6]], WUCHANG);
    expect(g6.candidates[0].crs).toEqual({ kind: 'epsg', epsg: 4498 });
    expect(g6.message).toMatch(/give crs=EPSG:4498$/);
  });

  it('a 6° projection in the data, CM 117: the 3° and 6° codes of CM 117 are the same projection', () => {
    const [x6, y6] = tmForward(116.9, 31.2, { lon0: 117, x0: 500_000, k0: 1 });
    const g = guessProjected([[x6, y6]], [116.8, 31.3]);
    expect(g.message).toMatch(/look like EPSG:4548 .*\(the same projection as EPSG:4509\); give crs=EPSG:4548$/);
  });

  it('Web Mercator', () => {
    const [mx, my] = webMercatorForward(114.33, 30.56);
    expect(guessProjected([[mx, my]], WUCHANG).message).toMatch(/look like EPSG:3857 \(Web Mercator\); give crs=EPSG:3857$/);
  });

  it('metres nothing places near the district: says so, with the nearest', () => {
    const g = guessProjected([[52_000, 31_000]], WUCHANG);
    expect(g.message).toMatch(/^the coordinates \(x 52,000, y 31,000\) are in metres, but no CGCS2000 Gauss-Krüger zone or Web Mercator places them near the district \(the nearest, EPSG:\d+, puts them [\d,]+ km away\); they may be in a local city grid/);
  });
});

describe('landing check', () => {
  it('inside the district box: fine; a few strays counted; far away: how far', () => {
    expect(landingCheck([[114.3, 30.55], [114.35, 30.6]], WUCHANG_BBOX)).toMatchObject({ inside: 2, total: 2, distance_km: 0, message: null });
    expect(landingCheck([[114.3, 30.55], [114.35, 30.6], [120, 30]], WUCHANG_BBOX).message).toBe('1 of 3 points lie more than 5 km outside the district');
    const beijing = landingCheck([[116.4, 39.9], [116.41, 39.91]], WUCHANG_BBOX, { crs: { kind: 'epsg', epsg: 4547 } });
    expect(beijing.message).toMatch(/^the data \(read as EPSG:4547\) lands 1,0\d\d km from the district: is the CRS right\?$/);
    expect(beijing.distance_km).toBeGreaterThan(1000);
  });
});
