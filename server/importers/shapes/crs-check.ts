// Checking coordinates before they are imported: whether they look like longitude/latitude, swapped, or
// projected metres; which CGCS2000 Gauss-Krüger zone (or Web Mercator) metres without a .prj are likely
// in; and whether transformed data lands in the district, each said in words a person can act on.
import { crsName, describeCrs, gaussKrugerEpsg, toWgs84, WEB_MERCATOR, zoneNear, type Crs } from './crs.ts';

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
