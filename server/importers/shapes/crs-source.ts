// A CRS as a report gives it in values (common/api/imports.ts CrsSource), beside its English words, so that
// a client can say it in its own language: the EPSG code and Gauss-Krüger zone, or the offset systems.
import type { CrsSource } from '../../../common/api/imports.ts';
import { gaussKruger, type Crs } from './crs.ts';

export function crsSourceOf(crs: Crs, from: CrsSource['from']): CrsSource {
  if (crs.kind !== 'epsg') return { kind: crs.kind, epsg: null, gauss_kruger: null, from };
  const gk = gaussKruger(crs.epsg);
  return { kind: 'epsg', epsg: crs.epsg, gauss_kruger: gk && { width: gk.width, zone: gk.zone, cm: gk.cm, prefixed: gk.prefixed }, from };
}

/** The file's own CRS, read and applied by GDAL (a .prj, a GeoPackage's srs). */
export const FROM_FILE: CrsSource = { kind: 'file', epsg: null, gauss_kruger: null, from: 'file' };
