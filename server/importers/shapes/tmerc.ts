// Transverse Mercator on the CGCS2000 ellipsoid (GRS80's axes), as Gauss-Krüger projections use it: the
// Krüger series to third order in n (Karney 2011, eqs. 35–36), good to about a millimetre within 3,000 km
// of the central meridian, far more than a 3° or 6° zone needs. Used to try candidate zones on sample
// points and to place projected CSV columns; files with a .prj are transformed by GDAL (PROJ).

const A_AXIS = 6378137;
const F = 1 / 298.257222101;
const N = F / (2 - F);
const N2 = N * N;
const N3 = N2 * N;
/** Rectifying radius. */
const A = (A_AXIS / (1 + N)) * (1 + N2 / 4 + (N2 * N2) / 64);
const ALPHA = [N / 2 - (2 / 3) * N2 + (5 / 16) * N3, (13 / 48) * N2 - (3 / 5) * N3, (61 / 240) * N3];
const BETA = [N / 2 - (2 / 3) * N2 + (37 / 96) * N3, (1 / 48) * N2 + (1 / 15) * N3, (17 / 480) * N3];
const DELTA = [2 * N - (2 / 3) * N2 - 2 * N3, (7 / 3) * N2 - (8 / 5) * N3, (56 / 15) * N3];
const E2N = (2 * Math.sqrt(N)) / (1 + N);

const RAD = Math.PI / 180;

export interface TmParams {
  /** Central meridian, degrees. */
  lon0: number;
  /** False easting, metres (500 000, or the zone number × 1 000 000 + 500 000 with a zone prefix). */
  x0: number;
  /** Scale on the central meridian (1 for Gauss-Krüger). */
  k0: number;
}

/** Easting, northing (m) of a longitude, latitude (degrees). */
export function tmForward(lon: number, lat: number, p: TmParams): [number, number] {
  const phi = lat * RAD;
  const dl = (lon - p.lon0) * RAD;
  const t = Math.sinh(Math.atanh(Math.sin(phi)) - E2N * Math.atanh(E2N * Math.sin(phi)));
  const xi = Math.atan2(t, Math.cos(dl));
  const eta = Math.atanh(Math.sin(dl) / Math.sqrt(1 + t * t));
  let e = eta;
  let n = xi;
  for (let j = 1; j <= 3; j++) {
    e += ALPHA[j - 1] * Math.cos(2 * j * xi) * Math.sinh(2 * j * eta);
    n += ALPHA[j - 1] * Math.sin(2 * j * xi) * Math.cosh(2 * j * eta);
  }
  return [p.x0 + p.k0 * A * e, p.k0 * A * n];
}

/** Longitude, latitude (degrees) of an easting, northing (m). */
export function tmInverse(x: number, y: number, p: TmParams): [number, number] {
  const xi = y / (p.k0 * A);
  const eta = (x - p.x0) / (p.k0 * A);
  let xi1 = xi;
  let eta1 = eta;
  for (let j = 1; j <= 3; j++) {
    xi1 -= BETA[j - 1] * Math.sin(2 * j * xi) * Math.cosh(2 * j * eta);
    eta1 -= BETA[j - 1] * Math.cos(2 * j * xi) * Math.sinh(2 * j * eta);
  }
  const chi = Math.asin(Math.sin(xi1) / Math.cosh(eta1));
  let phi = chi;
  for (let j = 1; j <= 3; j++) phi += DELTA[j - 1] * Math.sin(2 * j * chi);
  const lon = p.lon0 + Math.atan2(Math.sinh(eta1), Math.cos(xi1)) / RAD;
  return [lon, phi / RAD];
}

const R_MERC = 6378137;

/** Longitude, latitude of a Web Mercator (EPSG:3857) x, y. */
export function webMercatorInverse(x: number, y: number): [number, number] {
  return [(x / R_MERC) / RAD, (2 * Math.atan(Math.exp(y / R_MERC)) - Math.PI / 2) / RAD];
}

export function webMercatorForward(lon: number, lat: number): [number, number] {
  return [R_MERC * lon * RAD, R_MERC * Math.log(Math.tan(Math.PI / 4 + (lat * RAD) / 2))];
}
