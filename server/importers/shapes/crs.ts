// Coordinate systems of a district's data: the --crs argument, what a CGCS2000 Gauss-Krüger EPSG code
// means, a CRS stated in a column name, and points to WGS84, the GCJ-02 / BD-09 offsets of points copied
// from Amap or Baidu included (gcoord). crs-check.ts guesses and checks coordinates with them.
//
// CGCS2000 Gauss-Krüger codes (checked with `gdalsrsinfo EPSG:n`, test/integration/import-shapes.test.ts):
//   4491–4501  6° zones 13–23, zone prefix in the easting (x_0 = zone × 1e6 + 500 000), CM = 6 × zone − 3
//   4502–4512  6° CM 75°E–135°E, no prefix (x_0 = 500 000)
//   4513–4533  3° zones 25–45, with prefix, CM = 3 × zone
//   4534–4554  3° CM 75°E–135°E, no prefix
// The 6° and 3° zone numbers do not overlap (13–23, 25–45): a prefix alone tells which family.
// Wuhan (114.3°E) is in 3° zone 38 (CM 114°E: EPSG:4547, or 4526 with the prefix) and 6° zone 20
// (CM 117°E: EPSG:4509, or 4498 with the prefix).
import gcoord from 'gcoord';
import { BadRequestError } from '../../http/errors.ts';
import { tmInverse, webMercatorInverse } from './tmerc.ts';

export type Crs = { kind: 'epsg'; epsg: number } | { kind: 'gcj02' } | { kind: 'bd09' };

export const WGS84 = 4326;
export const CGCS2000 = 4490;
export const WEB_MERCATOR = 3857;

const NAMED: Record<string, Crs> = {
  wgs84: { kind: 'epsg', epsg: WGS84 }, crs84: { kind: 'epsg', epsg: WGS84 },
  cgcs2000: { kind: 'epsg', epsg: CGCS2000 },
  webmercator: { kind: 'epsg', epsg: WEB_MERCATOR }, pseudomercator: { kind: 'epsg', epsg: WEB_MERCATOR }, 900913: { kind: 'epsg', epsg: WEB_MERCATOR },
  gcj02: { kind: 'gcj02' }, gcj: { kind: 'gcj02' }, amap: { kind: 'gcj02' }, gaode: { kind: 'gcj02' }, 高德: { kind: 'gcj02' }, 火星坐标: { kind: 'gcj02' },
  bd09: { kind: 'bd09' }, baidu: { kind: 'bd09' }, 百度: { kind: 'bd09' },
};

/**
 * The --crs argument: EPSG:n, n, urn:ogc:def:crs:EPSG::n, or a name (wgs84, cgcs2000, webmercator, gcj02,
 * bd09; separators and letter case do not matter).
 */
export function parseCrs(raw: string): Crs {
  const s = raw.trim().toLowerCase();
  const named = NAMED[s.replace(/[\s_.-]/g, '')];
  if (named) return named;
  const m = /^(?:epsg:{1,2}|urn:ogc:def:crs:epsg:[\d.]*:)?(\d{4,6})$/.exec(s);
  if (m) return { kind: 'epsg', epsg: Number(m[1]) };
  throw new BadRequestError(`crs ${JSON.stringify(raw.slice(0, 40))} is not understood; give EPSG:<code> (e.g. EPSG:4326, EPSG:4547) or one of wgs84, cgcs2000, webmercator, gcj02, bd09`);
}

/**
 * The CRS a coordinate column's name states, as ledgers do in brackets: 经度(GCJ02), 纬度（百度）,
 * lng_bd09, 经度(CGCS2000); null when it states none. On X/Y columns "CGCS2000" means one of its
 * Gauss-Krüger zones, which guessProjected finds.
 */
export function crsFromHeader(name: string): Crs | null {
  const s = name.normalize('NFKC').toLowerCase().replace(/[\s_-]/g, '');
  if (/gcj0?2|高德|火星|腾讯|amap|gaode/.test(s)) return { kind: 'gcj02' };
  if (/bd0?9|百度|baidu/.test(s)) return { kind: 'bd09' };
  if (/wgs0?84|gps/.test(s)) return { kind: 'epsg', epsg: WGS84 };
  if (/cgcs2000|国家2000|2000坐标|2000国家/.test(s)) return { kind: 'epsg', epsg: CGCS2000 };
  return null;
}

export function crsName(crs: Crs): string {
  return crs.kind === 'epsg' ? `EPSG:${crs.epsg}` : crs.kind === 'gcj02' ? 'GCJ-02' : 'BD-09';
}

export interface GaussKruger {
  epsg: number;
  /** Zone width in degrees. */
  width: 3 | 6;
  /** Zone number (3°: 25–45, 6°: 13–23 in China). */
  zone: number;
  /** Central meridian, degrees east. */
  cm: number;
  /** Whether the easting carries the zone number in front (x_0 = zone × 1 000 000 + 500 000). */
  prefixed: boolean;
  falseEasting: number;
}

/** The CGCS2000 Gauss-Krüger zone an EPSG code is, or null. */
export function gaussKruger(epsg: number): GaussKruger | null {
  const gk = (width: 3 | 6, zone: number, prefixed: boolean): GaussKruger => ({
    epsg, width, zone, cm: width === 6 ? 6 * zone - 3 : 3 * zone, prefixed, falseEasting: (prefixed ? zone * 1e6 : 0) + 500_000,
  });
  if (epsg >= 4491 && epsg <= 4501) return gk(6, 13 + epsg - 4491, true);
  if (epsg >= 4502 && epsg <= 4512) return gk(6, 13 + epsg - 4502, false);
  if (epsg >= 4513 && epsg <= 4533) return gk(3, 25 + epsg - 4513, true);
  if (epsg >= 4534 && epsg <= 4554) return gk(3, 25 + epsg - 4534, false);
  return null;
}

/** The EPSG code of a CGCS2000 Gauss-Krüger zone, or null outside China's zones. */
export function gaussKrugerEpsg(width: 3 | 6, zone: number, prefixed: boolean): number | null {
  if (!Number.isInteger(zone)) return null;
  if (width === 6 && zone >= 13 && zone <= 23) return (prefixed ? 4491 : 4502) + zone - 13;
  if (width === 3 && zone >= 25 && zone <= 45) return (prefixed ? 4513 : 4534) + zone - 25;
  return null;
}

/** The zone of a width whose central meridian is nearest `lon`. */
export function zoneNear(lon: number, width: 3 | 6): number {
  return width === 6 ? Math.round((lon + 3) / 6) : Math.round(lon / 3);
}

/** In words, for reports: "EPSG:4547 (CGCS2000 3° Gauss-Krüger, CM 114°E, no zone prefix)". */
export function describeCrs(crs: Crs): string {
  if (crs.kind === 'gcj02') return 'GCJ-02 (Amap / Tencent offset coordinates, converted to WGS84)';
  if (crs.kind === 'bd09') return 'BD-09 (Baidu offset coordinates, converted to WGS84)';
  const gk = gaussKruger(crs.epsg);
  if (gk) {
    return `EPSG:${crs.epsg} (CGCS2000 ${gk.width}° Gauss-Krüger, CM ${gk.cm}°E, ${gk.prefixed ? `zone ${gk.zone} prefix in the easting` : 'no zone prefix'})`;
  }
  const known: Record<number, string> = { [WGS84]: 'WGS84 longitude/latitude', [CGCS2000]: 'CGCS2000 longitude/latitude', [WEB_MERCATOR]: 'Web Mercator' };
  return known[crs.epsg] ? `EPSG:${crs.epsg} (${known[crs.epsg]})` : `EPSG:${crs.epsg}`;
}

/**
 * Longitude, latitude in WGS84 of a point in `crs`, for the systems computed here: GCJ-02 and BD-09
 * (gcoord), WGS84 and CGCS2000 longitude/latitude (the same within centimetres), Web Mercator and the
 * CGCS2000 Gauss-Krüger zones. Anything else is GDAL's to transform (ogr2ogr -s_srs): throws.
 */
export function toWgs84(x: number, y: number, crs: Crs): [number, number] {
  if (crs.kind === 'gcj02') return gcoord.transform([x, y], gcoord.GCJ02, gcoord.WGS84) as [number, number];
  if (crs.kind === 'bd09') return gcoord.transform([x, y], gcoord.BD09, gcoord.WGS84) as [number, number];
  if (crs.epsg === WGS84 || crs.epsg === CGCS2000) return [x, y];
  if (crs.epsg === WEB_MERCATOR) return webMercatorInverse(x, y);
  const gk = gaussKruger(crs.epsg);
  if (gk) return tmInverse(x, y, { lon0: gk.cm, x0: gk.falseEasting, k0: 1 });
  throw new Error(`EPSG:${crs.epsg} is transformed by GDAL, not by toWgs84`);
}

/** Whether toWgs84 computes `crs` itself. */
export function computedHere(crs: Crs): boolean {
  return crs.kind !== 'epsg' || [WGS84, CGCS2000, WEB_MERCATOR].includes(crs.epsg) || gaussKruger(crs.epsg) !== null;
}
