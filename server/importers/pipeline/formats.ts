// The file formats a layer can be imported from, told by the file's name (or given), then checked by its
// first bytes before any reader sees it: GIS files (zipped Shapefile, GeoPackage, GeoJSON, KML) with their
// geometries, and ledgers (CSV, Excel .xlsx) with coordinate columns.
import path from 'node:path';
import { BadRequestError } from '../../http/errors.ts';

export const LAYER_FORMATS = ['shapefile', 'gpkg', 'geojson', 'kml', 'csv', 'xlsx'] as const;
export type LayerFormat = (typeof LAYER_FORMATS)[number];
export type GisLayerFormat = Exclude<LayerFormat, 'csv' | 'xlsx'>;

const BY_EXTENSION: Record<string, LayerFormat> = {
  '.zip': 'shapefile', '.gpkg': 'gpkg', '.geojson': 'geojson', '.json': 'geojson', '.kml': 'kml',
  '.csv': 'csv', '.txt': 'csv', '.xlsx': 'xlsx',
};

/** A basemap comes as an OSM extract (XML .osm or .pbf) or as a surveying office's GIS layers. */
export const BASEMAP_FORMATS = ['osm', 'shapefile', 'gpkg', 'geojson', 'kml'] as const;
export type BasemapFormat = (typeof BASEMAP_FORMATS)[number];

export function basemapFormatFromName(name: string): BasemapFormat | null {
  if (/\.(osm|pbf|osm\.pbf)$/i.test(name)) return 'osm';
  const f = layerFormatFromName(name);
  return f && (BASEMAP_FORMATS as readonly string[]).includes(f) ? f as BasemapFormat : null;
}

export function layerFormatFromName(name: string): LayerFormat | null {
  return BY_EXTENSION[path.extname(name).toLowerCase()] ?? null;
}

export const isTable = (f: LayerFormat): f is 'csv' | 'xlsx' => f === 'csv' || f === 'xlsx';

const WHAT: Record<LayerFormat, string> = {
  shapefile: 'a zip archive (zipped Shapefile)', gpkg: 'a GeoPackage (SQLite) file', geojson: 'a GeoJSON object',
  kml: 'a KML document (XML with a <kml> element)', csv: 'a text file (CSV)', xlsx: 'an Excel workbook (.xlsx, a zip archive)',
};

/** Checks the bytes are what the format claims. An .xls (Excel 97–2003) is named: save it as .xlsx. */
export function checkLayerMagic(buf: Buffer, format: LayerFormat): void {
  const head = buf.subarray(0, 16).toString('latin1');
  const text = buf.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('\xD0\xCF\x11\xE0')) throw new BadRequestError('the file is an old Excel workbook (.xls); save it as .xlsx (Excel 2007 and later) or CSV');
  const ok = {
    shapefile: head.startsWith('PK\x03\x04'),
    xlsx: head.startsWith('PK\x03\x04'),
    gpkg: head.startsWith('SQLite format 3\0'),
    geojson: text.startsWith('{'),
    kml: /^(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<kml[\s>]/.test(text),
    // Text: no NUL byte in the first 4 KB (UTF-16 files have them; they are not read).
    csv: !buf.subarray(0, 4096).includes(0) && !head.startsWith('PK\x03\x04'),
  }[format];
  if (!ok) throw new BadRequestError(`the file is not ${WHAT[format]}; check the format chosen`);
}

/** Checks the first bytes of an OSM extract: a PBF starts with its OSMHeader blob, OSM XML with <osm. */
export function checkOsmMagic(buf: Buffer): void {
  const pbf = buf.subarray(4, 64).toString('latin1').includes('OSMHeader');
  const xml = /^(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<osm[\s>]/.test(buf.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '').trimStart());
  if (!pbf && !xml) throw new BadRequestError('the file is not an OpenStreetMap extract (OSM XML with an <osm> element, or a .pbf with its OSMHeader); check the format chosen');
}
