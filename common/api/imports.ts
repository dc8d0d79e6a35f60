// Contracts of imports over HTTP (server/routes/imports.ts): the upload, a network's job or a layer's
// report, the imports made and their removal.
import { Type, type Static } from 'typebox';
import { IMPORT_LAYERS } from '../../server/importers/layers/names.ts';
import { BASEMAP_FORMATS, LAYER_FORMATS } from '../../server/importers/pipeline/formats.ts';
import { IMPORT_FORMATS } from '../../server/importers/read.ts';
import { ErrorBody } from './errors.ts';
import { CheckCounts } from './network.ts';
import { Nullable, StringEnum, Timestamp, WithDefault } from './common.ts';

export const USAGES = ['rain', 'sewage', 'combined'] as const;
/** Formats of every layer's imports: the network's and the ledgers' (KML, CSV, Excel). */
export const ALL_IMPORT_FORMATS = [...new Set([...IMPORT_FORMATS, ...LAYER_FORMATS, ...BASEMAP_FORMATS])];

export const ImportQuery = Type.Object({
  filename: Type.String({ minLength: 1, maxLength: 200 }),
  layer: WithDefault(StringEnum(IMPORT_LAYERS, { default: 'pipes', description: 'The layer the file is imported into: pipes (the network, as a job), or a registry layer or inspections (CCTV results, CSV or .xlsx; reaches rescored), answered at once with a report per row' })),
  format: Type.Optional(StringEnum(ALL_IMPORT_FORMATS, { description: 'Default: from the filename extension (.geojson/.json, .zip, .gpkg, .inp; for layers also .kml, .csv, .xlsx; for the basemap .osm, .pbf)' })),
  crs: Type.Optional(Type.String({ maxLength: 40, description: 'Source CRS when the file does not say (or to override): EPSG:<code>, wgs84, cgcs2000, gcj02 (Amap), bd09 (Baidu)' })),
  encoding: Type.Optional(Type.String({ maxLength: 20, description: 'Layers: text encoding of a CSV or Shapefile when detection is wrong: utf-8, gbk, gb18030, latin1' })),
  mapping: Type.Optional(Type.String({ maxLength: 8000, description: 'Layers: the column mapping as JSON {"field": "column name" | null}, over the one matched by name (a report\'s template)' })),
  sheet: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Layers: the sheet of a workbook to read (default: the first with rows)' })),
  dry_run: WithDefault(Type.Boolean({ default: false, description: 'Layers: validate and report what would be inserted, updated or left unchanged; write nothing' })),
  replace: WithDefault(Type.Boolean({ default: false, description: 'Layers grids, streets, communities: the file is the whole layer; rows it does not have are removed (a re-gridding)' })),
  tolerance_m: WithDefault(Type.Number({ minimum: 0, maximum: 50, default: 0.5 })),
  usage: WithDefault(StringEnum(USAGES, { default: 'sewage', description: 'Usage of pipes whose attributes do not say' })),
}, { additionalProperties: false });
export type ImportQuery = Static<typeof ImportQuery>;

export const ImportStarted = Type.Object({
  job: Type.String({ format: 'uuid' }),
  status: Type.String({ description: 'Where to poll the job' }),
});
export type ImportStarted = Static<typeof ImportStarted>;

const Count = Type.Integer({ minimum: 0 });

/** Where the flow direction of the imported links came from, as counts of links. */
export const DirectionCounts = Type.Object({ from_file: Count, from_inverts: Count, digitised: Count, reversed: Count });
export type DirectionCounts = Static<typeof DirectionCounts>;

/**
 * The coordinate system positions were read in (a network's, a layer's), as values a client can put in its own words (crs says it
 * in English): a CRS with its EPSG code (and Gauss-Krüger zone), GCJ-02 or BD-09 corrected here, or the
 * file's own (.prj, GeoPackage) transformed by GDAL; and where it came from.
 */
export const CrsSource = Type.Object({
  kind: StringEnum(['epsg', 'gcj02', 'bd09', 'file']),
  epsg: Nullable(Type.Integer({ description: 'kind epsg: the code (4326 WGS84, 4490 CGCS2000, 3857 Web Mercator, 4491–4554 Gauss-Krüger)' })),
  gauss_kruger: Nullable(Type.Object({ width: Type.Integer({ description: 'zone width, 3 or 6 degrees' }), zone: Type.Integer(), cm: Type.Number({ description: 'central meridian, °E' }), prefixed: Type.Boolean({ description: 'the zone number leads the easting' }) })),
  from: StringEnum(['given', 'columns', 'default', 'file', 'none'], { description: 'given by the person; stated by the coordinate column names; the default for longitude/latitude; the file\'s own; none in the file (read as WGS84)' }),
}, { description: 'crs as values; null when the rows have no positions (reports of older servers lack it)' });
export type CrsSource = Static<typeof CrsSource>;

/** The earlier import of the same network an import replaced (server/importers/network-write.ts). */
export const ReplacedImport = Type.Object({
  import_id: Type.Integer(),
  filename: Type.String(),
  matched: StringEnum(['same_file', 'same_name_and_codes', 'given'], { description: 'The same bytes; the same file name holding at least half the pipe codes; or named by the importer' }),
  pipes: Type.Object({ updated: Count, unchanged: Count, added: Count, removed: Count }, { description: 'Pipes kept (same code: same id) and updated or unchanged, added, removed' }),
  manholes: Type.Object({ kept: Count, added: Count, removed: Count }),
  removed_with_pipes: Type.Object({ inspections: Count, hazards: Count }),
  summary: Type.String({ description: 'replaced import #N (x pipes updated, y added, z removed)' }),
});

/**
 * What an import read, joined and wrote. Reports are stored as written: those of older servers lack the
 * later fields (optional here), name one direction source for the whole file, and keep fields no longer
 * written, which pass through as they are.
 */
export const ImportReport = Type.Object({
  read: Type.Object({ nodes: Count, links: Count }),
  written: Type.Object({ manholes: Count, pipes: Count }),
  skipped: Type.Array(Type.Object({ what: Type.String(), reason: Type.String(), count: Count, examples: Type.Optional(Type.Array(Type.String())) })),
  created_nodes: Count,
  snapped_nodes: Count,
  split_links: Type.Optional(Count),
  components: Count,
  zero_length: Count,
  duplicates: Count,
  cycles: Count,
  direction: Type.Union([DirectionCounts, StringEnum(['inverts', 'digitised', 'file'])]),
  outfalls: Type.Optional(Count),
  format: Type.Optional(StringEnum(IMPORT_FORMATS)),
  crs: Type.String(),
  crs_source: Type.Optional(CrsSource),
  bbox: Nullable(Type.Unsafe<[number, number, number, number]>(Type.Array(Type.Number(), { minItems: 4, maxItems: 4, description: 'WGS84 west, south, east, north' }))),
  warnings: Type.Optional(Type.Array(Type.String())),
  timing_ms: Type.Optional(Type.Object({ read: Type.Number(), topology: Type.Number(), write: Type.Number() })),
  replaced: Type.Optional(Nullable(ReplacedImport)),
  checks: Type.Optional(Type.Object({ total: Count, counts: CheckCounts, timing_ms: Type.Number() }, {
    description: 'The network design checks over what was written (GET /api/network/checks?import=<id> lists them); reports before them lack it',
  })),
}, { additionalProperties: true });
export type ImportReport = Static<typeof ImportReport>;

const RowOutcome = Type.Object({
  row: Type.Integer({ description: 'The row as the file shows it: a sheet row, a feature number (1-based)' }),
  key: Nullable(Type.String({ description: 'The stable code the row is stored under' })),
  outcome: StringEnum(['insert', 'update', 'unchanged', 'rejected'], { description: 'In a dry run: what would be done' }),
  reason: Type.Optional(Type.String()),
});


/** A field of the layer a column can fill: for a mapping editor. */
const LayerField = Type.Object({
  field: Type.String(),
  label: Type.String({ description: 'Chinese, then English' }),
  required: Type.Boolean({ description: 'The file must have a column for it (some fields are needed in pairs: see missing)' }),
});

/** What a layer import read, matched, checked and wrote (or, in a dry run, would write). */
export const LayerImportReport = Type.Object({
  layer: StringEnum(IMPORT_LAYERS),
  filename: Type.String(),
  format: StringEnum([...new Set([...LAYER_FORMATS, ...BASEMAP_FORMATS])]),
  dry_run: Type.Boolean(),
  committed: Type.Boolean(),
  import_id: Nullable(Type.Integer()),
  encoding: Nullable(Type.Object({ encoding: Type.String(), from: Type.String({ description: 'override, bom, cpg, ldid or bytes' }) })),
  sheet: Nullable(Type.String()),
  header: Nullable(Type.Object({ row: Type.Integer(), rows: Type.Integer(), skipped: Type.Array(Type.String(), { description: 'Title and note rows above the header' }) })),
  crs: Type.String(),
  crs_source: Type.Optional(Nullable(CrsSource)),
  landing: Nullable(Type.Object({ inside: Count, total: Count, distance_km: Type.Number() })),
  fields: Type.Optional(Type.Array(LayerField, { description: 'Every field of the layer, in the order of template (reports before it lack it)' })),
  headers: Type.Array(Type.String(), { description: "The file's columns" }),
  mapping: Type.Record(Type.String(), Type.String(), { description: 'field → column used' }),
  matches: Type.Array(Type.Object({ field: Type.String(), header: Type.String(), how: StringEnum(['name', 'part', 'truncated', 'contains', 'user']) })),
  missing: Type.Array(Type.String()),
  unused: Type.Array(Type.String()),
  template: Type.Record(Type.String(), Nullable(Type.String()), { description: 'Every field with its column or null: edit and give back as mapping' }),
  counts: Type.Object({ read: Count, valid: Count, rejected: Count, insert: Count, update: Count, unchanged: Count, removed: Count }),
  rejected: Type.Array(RowOutcome, { description: 'Rows refused, with the reason (at most 1000)' }),
  rows: Type.Array(RowOutcome, { description: 'Every row in file order (the first 1000)' }),
  rows_truncated: Type.Boolean(),
  derived: Type.Record(Type.String(), Type.Unknown(), { description: 'Updates that followed in other tables (grid codes, coverage)' }),
  warnings: Type.Array(Type.String()),
  timing_ms: Type.Object({ read: Type.Number(), validate: Type.Number(), write: Type.Number() }),
});
export type LayerImportReport = Static<typeof LayerImportReport>;

/** A refused layer import: what was wrong, and the report as far as it got (mapping, rows refused). */
export const LayerImportRefused = Type.Object({ ...ErrorBody.properties, report: Type.Optional(Type.Partial(LayerImportReport)) });
export type LayerImportRefused = Static<typeof LayerImportRefused>;

export const ImportJob = Type.Object({
  id: Type.String({ format: 'uuid' }),
  state: StringEnum(['queued', 'running', 'done', 'failed']),
  stage: Type.String(),
  progress: Type.Number({ minimum: 0, maximum: 1 }),
  filename: Type.String(),
  error: Type.Optional(Type.String({ description: 'Why it failed' })),
  import: Type.Optional(Type.Object({ id: Type.Integer(), report: ImportReport }, { description: 'The import made, once done' })),
  created_at: Timestamp(),
  ended_at: Type.Optional(Timestamp()),
});
export type ImportJob = Static<typeof ImportJob>;

export const JobParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const ImportParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

export const ImportItem = Type.Object({
  id: Type.Integer(),
  filename: Type.String(),
  layer: StringEnum(IMPORT_LAYERS),
  format: StringEnum(ALL_IMPORT_FORMATS),
  source_crs: Nullable(Type.String()),
  options: Type.Object({ tolerance_m: Type.Optional(Type.Number()), usage: Type.Optional(StringEnum(USAGES)) }, { additionalProperties: true, description: 'The options it was made with' }),
  report: Type.Union([ImportReport, LayerImportReport], { description: 'A network import\'s report (layer pipes), or a layer import\'s' }),
  created_at: Timestamp(),
});
export type ImportItem = Static<typeof ImportItem>;

export const ImportList = Type.Object({ items: Type.Array(ImportItem, { description: 'Newest first, at most 200' }) });
export type ImportList = Static<typeof ImportList>;

export const ImportDeleted = Type.Object({
  deleted: Type.Boolean(),
  removed: Type.Optional(Type.Integer({ minimum: 0, description: 'A layer import: the rows it inserted, removed' })),
  kept: Type.Optional(Type.Integer({ minimum: 0, description: 'A layer import: the rows it updated in place, which stay as they are' })),
  not_restored: Type.Optional(Type.Integer({ minimum: 0, description: 'A layer import made with replace: the rows it removed, which are not brought back' })),
});
export type ImportDeleted = Static<typeof ImportDeleted>;
