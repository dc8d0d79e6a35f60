// Shapes of the server's JSON answers the app reads (the query/search/details routes).
// Where the server module that produces an answer declares its type, that type is used here (`import type`:
// erased from the bundle, no server code reaches the browser); what remains written out below is what the
// server builds from untyped SQL rows.
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { DrainageSummary, KmByGrade, ReachFilter, SummaryFigures, SummaryRow } from '../../server/drainage/reports.ts';
import type { Advice as CjjAdvice } from '../../server/domain/cjj181/tables.ts';
import type { Density } from '../../server/data/density.ts';
import type { VehicleTrack, VehicleTracks } from '../../server/data/vehicles.ts';
import type { Details as ServerDetails, GridAt, SearchHit, SearchPart } from '../../server/features/catalog.ts';
import type { ImportReport as ServerImportReport } from '../../server/importers/import.ts';
import type { ImportJob } from '../../server/importers/jobs.ts';
import type { ImportFormat } from '../../server/importers/read.ts';
import type { ExportFormat } from '../../server/network/export.ts';
import type { Direction } from '../../server/network/graph.ts';
import type { TraceSummary } from '../../server/network/tracer.ts';
import type { User } from '../../server/auth/users.ts';

export type {
  DrainageSummary, ExportFormat, GridAt, ImportFormat, ImportJob, KmByGrade, SummaryFigures, SummaryRow, VehicleTrack, VehicleTracks,
};

/** A server type as its JSON arrives: Date fields become ISO strings. */
export type Json<T> = T extends Date ? string : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

export type Props = Record<string, unknown>;

// The server leaves geometry and related untyped (JSON from PostGIS, different per layer): narrowed here.
export type Details<R = Record<string, unknown>> = Omit<ServerDetails, 'geometry' | 'related'> & {
  geometry: Geometry | null;
  related: R;
};

export interface Defect {
  code?: string;
  name?: string;
  name_zh?: string;
  name_en?: string;
  kind?: string;
  grade?: number;
  position_m?: number;
  distance_m?: number;
  length_m?: number;
  clock?: string;
  /** Its hazard is fixed: listed, not scored. */
  repaired?: boolean;
  [k: string]: unknown;
}

export interface Inspection {
  id?: number;
  inspected_on?: string;
  date?: string;
  method?: string;
  defects?: Defect[];
  [k: string]: unknown;
}

export interface RelatedRef {
  id: number | string;
  code?: string;
  [k: string]: unknown;
}

/** CJJ 181 scores of a reach's latest inspection (details of a pipe). */
export interface PipeConditionScores {
  ri: number | null;
  ri_grade: number | null;
  mi: number | null;
  mi_grade: number | null;
  f?: number | null;
  g?: number | null;
  sm?: number | null;
  ym?: number | null;
  sadvice?: Advice | null;
  fadvice?: Advice | null;
  sdensity?: Advice | null;
  fdensity?: Advice | null;
  inspected_at?: string | null;
  /** Defects of that inspection whose hazard is fixed: left out of the scores. */
  repaired?: RepairedDefect[];
}

export interface RepairedDefect { code: string; grade: number; at_m: number; hazard_id: number }

export interface PipeRelated {
  /** The CJJ 181 assessment of the latest inspection (absent when never inspected). */
  condition?: PipeConditionScores | null;
  from_manhole?: RelatedRef | null;
  to_manhole?: RelatedRef | null;
  inspections?: Inspection[];
  hazards?: RelatedRef[];
}

export interface ManholeRelated {
  pipes_in?: RelatedRef[];
  pipes_out?: RelatedRef[];
}

export interface CameraRelated {
  status_days?: { day: string; online_ratio: number; status: string }[];
  stream_url?: string | null;
}

export interface CaseRelated {
  item?: { name_zh?: string; name_en?: string; deadline_hours?: number; code?: string } | null;
  transitions?: { from_status: string | null; to_status: string; actor?: string | null; at: string; note?: string | null }[];
}

export interface Datastream {
  id?: number;
  quantity: string;
  unit: string;
  warn_level: number | null;
  alarm_level: number | null;
  direction?: 'above' | 'below';
  last_value: number | null;
  last_at?: string | null;
  observations: { t: string; value: number }[];
}

export interface SensorRelated {
  datastreams?: Datastream[];
}

export interface PipeRef {
  pipe?: RelatedRef | null;
}

export interface GridRelated {
  community?: { code: string; name: string } | null;
  street?: { code: string; name: string } | null;
  counts?: Record<string, number>;
}

// `rank` orders the hits on the server; the route's response schema leaves it out of the JSON.
export type SearchResult = Omit<SearchHit, 'rank'>;
export type { SearchPart };

export interface WithinResult {
  counts: Record<string, number>;
  features: Record<string, FeatureCollection>;
}

export type DensityCells = Density;

/** A start for a trace: `manhole:<id>` or `pipe:<id>`. */
export type TraceFrom = `${'manhole' | 'pipe'}:${number}`;
export type TraceDirection = Direction;

export interface NamedRef {
  code: string;
  name: string;
}

/** GET /api/trace: what an upstream/downstream trace reaches. */
export type TraceResult = TraceSummary;

export type { MisconnectionKind, MisconnectionStatus } from '../../common/enums.ts';

/** Advice or density text of a CJJ 181 rule, in both languages. */
export type Advice = CjjAdvice<string>;

/** One reach of GET /api/drainage/reaches (the hazard ranking). */
// Written out: server/drainage/reports.ts rankReaches builds it from untyped pg rows, so it has no type to share.
export interface ReachRow {
  pipe_id: number;
  code: string;
  street: NamedRef | null;
  community: NamedRef | null;
  grid_code: string | null;
  usage: string | null;
  network: string | null;
  diameter_mm: number | null;
  material: string | null;
  length_m: number | null;
  road_name: string | null;
  inspected_at: string | null;
  s: number | null;
  smax: number | null;
  f: number | null;
  sm: number | null;
  ri: number | null;
  sgrade: number | null;
  ri_grade: number | null;
  sadvice: Advice | null;
  sdensity: Advice | null;
  y: number | null;
  ymax: number | null;
  g: number | null;
  ym: number | null;
  mi: number | null;
  fgrade: number | null;
  mi_grade: number | null;
  fadvice: Advice | null;
  fdensity: Advice | null;
  codes: string[];
  hazards_open: number;
  repaired: RepairedDefect[];
  center: [number, number];
  bbox: [number, number, number, number];
}

export interface ReachPage {
  total: number;
  items: ReachRow[];
}

export type ReachSort = ReachFilter['sort'];
export type ReachQuery = ReachFilter;

/** Where the flow direction of imported links came from, as counts of links. */
export type DirectionCounts = ServerImportReport['direction'];

/** Fields a report stored by an older server may lack. */
type LaterReportFields = 'split_links' | 'outfalls' | 'format' | 'warnings' | 'timing_ms';

// Reports stored by older servers (GET /api/imports) lack later fields and name one direction source for the whole file.
export type ImportReport = Omit<ServerImportReport, LaterReportFields | 'direction' | 'skipped'> & Partial<Pick<ServerImportReport, LaterReportFields>> & {
  direction: DirectionCounts | 'inverts' | 'digitised' | 'file';
  skipped: (Omit<ServerImportReport['skipped'][number], 'examples'> & { examples?: string[] })[];
};

export interface ImportItem {
  id: number | string;
  filename: string;
  format: string;
  created_at: string;
  report: ImportReport | null;
}

/** A logged-in account (/api/auth/me, /api/auth/login). */
export type Account = Omit<User, 'grids'>;

export type { Feature, FeatureCollection, Geometry };
