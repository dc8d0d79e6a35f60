// Coordinate systems of a district's data: the --crs argument, what a CGCS2000 Gauss-Krüger EPSG code
// means, which code projected coordinates without a .prj are likely in, whether transformed data lands in
// the district, and the GCJ-02 / BD-09 offsets of points copied from Amap or Baidu (gcoord).
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
import { BadRequestError } from '../../features/errors.ts';
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

// ---------------------------------------------------------------------------------------------------
// Guessing

export type LonLat = [number, number];
export type Bbox = [number, number, number, number];

/** Great-circle distance in km. */
export function distanceKm(a: LonLat, b: LonLat): number {
  const r = Math.PI / 180;
  const h = Math.sin(((b[1] - a[1]) * r) / 2) ** 2 + Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.sin(((b[0] - a[0]) * r) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Distance (km) from a point to a box; 0 inside it. */
export function distanceToBboxKm(p: LonLat, bbox: Bbox): number {
  const nearest: LonLat = [Math.min(Math.max(p[0], bbox[0]), bbox[2]), Math.min(Math.max(p[1], bbox[1]), bbox[3])];
  return distanceKm(p, nearest);
}

/** The component-wise median: one point that stray outliers do not drag. */
export function medianPoint(points: readonly [number, number][]): [number, number] {
  const med = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  return [med(points.map((p) => p[0])), med(points.map((p) => p[1]))];
}

const finite = (p: [number, number]) => Number.isFinite(p[0]) && Number.isFinite(p[1]);
const fmtNum = (v: number, digits = 0) => v.toFixed(digits).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export type CoordinateKind = 'lonlat' | 'swapped' | 'projected' | 'mixed' | 'none';

/** China's extent in degrees, for telling lon/lat from lat/lon. */
const CHINA = { lon: [73, 135], lat: [18, 54] } as const;
const inRange = (v: number, [lo, hi]: readonly [number, number]) => v >= lo && v <= hi;

export interface CoordinateCheck {
  kind: CoordinateKind;
  /** Said to the person importing when the coordinates need their attention; null when they look right. */
  message: string | null;
}

/**
 * What a sample of x, y (first column as x) looks like: longitude/latitude, latitude/longitude (swapped,
 * read for China: a "longitude" of 18–54 with a "latitude" of 73–135), projected metres (swapped too when
 * x is a northing and y an easting, as surveyors name them), or a mix.
 */
export function coordinateKind(samples: readonly [number, number][]): CoordinateCheck {
  const pts = samples.filter(finite);
  if (!pts.length) return { kind: 'none', message: 'no coordinates to check (every x, y is empty or not a number)' };
  const swapped = pts.filter(([x, y]) => inRange(x, CHINA.lat) && inRange(y, CHINA.lon)).length;
  const straight = pts.filter(([x, y]) => inRange(x, CHINA.lon) && inRange(y, CHINA.lat)).length;
  if (swapped > straight && swapped >= pts.length / 2) {
    const [x, y] = medianPoint(pts);
    return { kind: 'swapped', message: `longitude and latitude look swapped (x ${x.toFixed(4)}, y ${y.toFixed(4)} read as latitude, longitude put the data in China): map 经度 and 纬度 the other way round` };
  }
  const degrees = pts.filter(([x, y]) => Math.abs(x) <= 180 && Math.abs(y) <= 90);
  if (degrees.length && degrees.length < pts.length) {
    return { kind: 'mixed', message: `${pts.length - degrees.length} of ${pts.length} points are in metres and the others in degrees: the file mixes coordinate systems` };
  }
  if (degrees.length) return { kind: 'lonlat', message: null };
  const [x, y] = medianPoint(pts);
  if (isNorthing(x) && isEasting(y) && !(isEasting(x) && isNorthing(y))) {
    return { kind: 'swapped', message: `X and Y look swapped: X ${fmtNum(x)} is a northing and Y ${fmtNum(y)} an easting (Chinese surveying calls the north coordinate X): map X to y and Y to x` };
  }
  return { kind: 'projected', message: null };
}

/** Gauss-Krüger northings of China (18°–54°N), metres. */
const isNorthing = (v: number) => v >= 1.9e6 && v <= 6.1e6;
/** Gauss-Krüger eastings: about 500 000, or with a 6° (13–23) or 3° (25–45) zone prefix. */
const isEasting = (v: number) => (v > 0 && v < 1e6) || (v >= 13e6 && v < 24e6) || (v >= 25e6 && v < 46e6);

export interface ProjectedCandidate {
  crs: Crs;
  description: string;
  /** Where the samples' median lands with this candidate, and how far that is from the district. */
  lands: LonLat;
  distance_km: number;
}

export interface ProjectedGuess {
  /** Ranked nearest first. */
  candidates: ProjectedCandidate[];
  /** The advice: which crs to give, or why none fits. */
  message: string;
}

/** Where a candidate puts the samples' median point. */
function candidate(epsg: number, median: [number, number], near: LonLat): ProjectedCandidate | null {
  const crs: Crs = { kind: 'epsg', epsg };
  const lands = toWgs84(median[0], median[1], crs);
  if (!finite(lands) || Math.abs(lands[1]) > 90) return null;
  return { crs, description: describeCrs(crs), lands, distance_km: distanceKm(lands, near) };
}

/** A candidate within this of the district centre is taken as the answer (a district is 10–60 km across). */
const NEAR_KM = 60;

/**
 * For coordinates in metres without a .prj: which CGCS2000 Gauss-Krüger code (or Web Mercator) puts them
 * near the district centre `near`. An 8-digit easting starting with a zone number (38 523 456) is that
 * zone's prefixed code; a 6-digit one (523 456) is a no-prefix code whose central meridian is near the
 * district (3° and 6°, the nearest two of each tried). Each candidate is tried on the samples' median
 * and ranked by how far from the district it lands. Xi'an 80 and Beijing 54 zones land within ~100 m of
 * CGCS2000's: that difference is not visible here.
 */
export function guessProjected(samples: readonly [number, number][], near: LonLat): ProjectedGuess {
  const pts = samples.filter(finite);
  if (!pts.length) return { candidates: [], message: 'no coordinates to check' };
  const median = medianPoint(pts);
  const [x, y] = median;
  const codes = new Set<number>();
  const zone = Math.floor(x / 1e6);
  if (x >= 1e7 && x < 1e8) {
    for (const width of [3, 6] as const) {
      const code = gaussKrugerEpsg(width, zone, true);
      if (code) codes.add(code);
    }
  }
  if (x > 0 && x < 1e6) {
    for (const width of [3, 6] as const) {
      const z = zoneNear(near[0], width);
      const cm = width === 6 ? 6 * z - 3 : 3 * z;
      const other = near[0] > cm ? z + 1 : z - 1;
      for (const zz of [z, other]) {
        const code = gaussKrugerEpsg(width, zz, false);
        if (code) codes.add(code);
      }
    }
  }
  if (Math.abs(x) <= 20_037_508.35 && Math.abs(y) <= 20_037_508.35) codes.add(WEB_MERCATOR);
  const candidates = [...codes].map((c) => candidate(c, median, near)).filter((c): c is ProjectedCandidate => c !== null)
    .sort((a, b) => a.distance_km - b.distance_km);
  const where = `x ${fmtNum(x)}, y ${fmtNum(y)}`;
  if (!candidates.length || candidates[0].distance_km > NEAR_KM) {
    const nearest = candidates[0] ? ` (the nearest, ${crsName(candidates[0].crs)}, puts them ${fmtNum(candidates[0].distance_km)} km away)` : '';
    return {
      candidates,
      message: `the coordinates (${where}) are in metres, but no CGCS2000 Gauss-Krüger zone or Web Mercator places them near the district${nearest}; `
        + 'they may be in a local city grid: ask whoever made the file for its .prj or coordinate system, and give crs=EPSG:<code>',
    };
  }
  // Zones with the same central meridian and false easting (3° CM 117 and 6° CM 117) are one projection.
  const best = candidates[0];
  const same = candidates.slice(1).filter((c) => c.distance_km - best.distance_km < 0.001).map((c) => crsName(c.crs));
  const also = same.length ? ` (the same projection as ${same.join(', ')})` : '';
  return { candidates, message: `the coordinates (${where}) look like ${best.description}${also}; give crs=${crsName(best.crs)}` };
}

export interface LandingCheck {
  /** Points inside the district's box (with the margin) and all points looked at. */
  inside: number;
  total: number;
  /** Distance from the points' median to the box, km (0 inside). */
  distance_km: number;
  message: string | null;
}

/**
 * Whether transformed points fall in the district: its bounding box widened by `margin_km` (data often
 * reaches a little past the boundary). Says how far the data lands when most of it is outside.
 */
export function landingCheck(points: readonly LonLat[], bbox: Bbox, opts: { margin_km?: number; crs?: Crs } = {}): LandingCheck {
  const margin = opts.margin_km ?? 5;
  const pts = points.filter(finite);
  if (!pts.length) return { inside: 0, total: 0, distance_km: 0, message: null };
  const inside = pts.filter((p) => distanceToBboxKm(p, bbox) <= margin).length;
  const distance = distanceToBboxKm(medianPoint(pts), bbox);
  if (inside >= pts.length / 2) {
    const stray = pts.length - inside;
    return { inside, total: pts.length, distance_km: distance, message: stray ? `${stray} of ${pts.length} points lie more than ${margin} km outside the district` : null };
  }
  const crs = opts.crs ? ` (read as ${crsName(opts.crs)})` : '';
  return {
    inside, total: pts.length, distance_km: distance,
    message: `the data${crs} lands ${fmtNum(distance)} km from the district: is the CRS right?`,
  };
}
