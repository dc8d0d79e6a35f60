// Contracts of network imports over HTTP (server/routes/imports.ts): the upload, its job, the imports
// made and their removal.
import { Type, type Static } from 'typebox';
import { IMPORT_FORMATS } from '../../server/importers/read.ts';
import { Nullable, StringEnum, Timestamp, WithDefault } from './common.ts';

export const USAGES = ['rain', 'sewage', 'combined'] as const;

export const ImportQuery = Type.Object({
  filename: Type.String({ minLength: 1, maxLength: 200 }),
  format: Type.Optional(StringEnum(IMPORT_FORMATS, { description: 'Default: from the filename extension (.geojson/.json, .zip, .gpkg, .inp)' })),
  crs: Type.Optional(Type.String({ maxLength: 20, description: 'Source CRS when the file does not say (or to override): EPSG:<code>, or gcj02' })),
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
  bbox: Nullable(Type.Unsafe<[number, number, number, number]>(Type.Array(Type.Number(), { minItems: 4, maxItems: 4, description: 'WGS84 west, south, east, north' }))),
  warnings: Type.Optional(Type.Array(Type.String())),
  timing_ms: Type.Optional(Type.Object({ read: Type.Number(), topology: Type.Number(), write: Type.Number() })),
  replaced: Type.Optional(Nullable(ReplacedImport)),
}, { additionalProperties: true });
export type ImportReport = Static<typeof ImportReport>;

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
  format: StringEnum(IMPORT_FORMATS),
  source_crs: Nullable(Type.String()),
  options: Type.Object({ tolerance_m: Type.Optional(Type.Number()), usage: Type.Optional(StringEnum(USAGES)) }, { additionalProperties: true, description: 'The options it was made with' }),
  report: ImportReport,
  created_at: Timestamp(),
});
export type ImportItem = Static<typeof ImportItem>;

export const ImportList = Type.Object({ items: Type.Array(ImportItem, { description: 'Newest first, at most 200' }) });
export type ImportList = Static<typeof ImportList>;

export const ImportDeleted = Type.Object({ deleted: Type.Boolean() });
export type ImportDeleted = Static<typeof ImportDeleted>;
