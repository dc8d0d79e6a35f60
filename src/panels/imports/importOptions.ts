// What the import dialog sends: the layer, the format of a network (guessed from the file name, the user
// can correct it), the source CRS, a ledger's encoding and sheet, the snapping tolerance, as the query
// parameters of POST /api/imports.
import type { ImportFormat, ImportLayer } from '../../api/types.ts';

/** The layers in the order a district loads them (the network first: hazards and inspections need it). */
export const IMPORT_LAYER_ORDER = [
  'pipes', 'district', 'streets', 'communities', 'grids', 'facilities', 'cameras', 'sensors', 'inspections', 'hazards', 'misconnections', 'vehicles',
] as const satisfies readonly ImportLayer[];

export const IMPORT_FORMATS: readonly ImportFormat[] = ['geojson', 'shapefile', 'gpkg', 'swmm'];
const NETWORK_ACCEPT = '.geojson,.json,.zip,.gpkg,.inp';
const LAYER_ACCEPT = '.zip,.gpkg,.geojson,.json,.kml,.csv,.txt,.xlsx';
const TABLE_ACCEPT = '.csv,.txt,.xlsx';

/** The files the picker offers for a layer. */
export function acceptFor(layer: ImportLayer): string {
  return layer === 'pipes' ? NETWORK_ACCEPT : layer === 'inspections' ? TABLE_ACCEPT : LAYER_ACCEPT;
}

/** Inspections are matched to reaches by code: they have no positions, so no CRS to give. */
export const hasPositions = (layer: ImportLayer): boolean => layer !== 'inspections';

export type CrsMode = 'auto' | 'epsg' | 'gcj02' | 'bd09';
/** A network's files are surveys (GIS files or SWMM); Baidu's offset is for ledgers copied from its map. */
export const NETWORK_CRS_MODES: readonly CrsMode[] = ['auto', 'epsg', 'gcj02'];
export const LAYER_CRS_MODES: readonly CrsMode[] = ['auto', 'epsg', 'gcj02', 'bd09'];

/** Encodings a person can force when detection is wrong ('' = detected). */
export const ENCODINGS = ['', 'utf-8', 'gbk', 'gb18030'] as const;
export type EncodingChoice = (typeof ENCODINGS)[number];

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

/** Whether a file is a workbook, whose sheet can be chosen. */
export const isWorkbook = (filename: string): boolean => /\.xlsx$/i.test(filename);

/** The `crs` parameter: absent when the file says (GeoJSON is WGS84, a .prj, a GeoPackage's srs, a ledger's column names). */
export function crsParam(mode: CrsMode, epsg: string): string | undefined {
  if (mode === 'gcj02' || mode === 'bd09') return mode;
  if (mode === 'epsg') return `EPSG:${epsg.trim()}`;
  return undefined;
}

export const validEpsg = (s: string): boolean => /^\d{4,6}$/.test(s.trim());
