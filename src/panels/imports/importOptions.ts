// What the import dialog sends: the format (guessed from the file name, the user can correct it), the
// source CRS and the snapping tolerance, as the query parameters of POST /api/imports.
import type { ImportFormat } from '../../api/types.ts';

export const IMPORT_FORMATS: readonly ImportFormat[] = ['geojson', 'shapefile', 'gpkg', 'swmm'];
export const ACCEPT = '.geojson,.json,.zip,.gpkg,.inp';

export type CrsMode = 'auto' | 'epsg' | 'gcj02';

export function formatOf(filename: string): ImportFormat | null {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  switch (ext) {
    case 'geojson': case 'json': return 'geojson';
    case 'zip': return 'shapefile';
    case 'gpkg': return 'gpkg';
    case 'inp': return 'swmm';
    default: return null;
  }
}

/** The `crs` parameter: absent when the file says (GeoJSON is WGS84, a .prj, a GeoPackage's srs). */
export function crsParam(mode: CrsMode, epsg: string): string | undefined {
  if (mode === 'gcj02') return 'gcj02';
  if (mode === 'epsg') return `EPSG:${epsg.trim()}`;
  return undefined;
}

export const validEpsg = (s: string): boolean => /^\d{4,6}$/.test(s.trim());
