// Shapes of the server's JSON answers the app reads (the query/search/details routes).
// The route contracts in common/api declare most of them (`import type`: erased from the bundle, neither
// TypeBox nor server code reaches the browser); where the server module that produces an answer declares
// its type, that type is used; what remains written out below is what the server builds from untyped SQL
// rows (the `related` records of the identify panel, per layer).
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { Density } from '../../common/api/density.ts';
import type { Details as DetailsBody } from '../../common/api/details.ts';
import type {
  Advice, DrainageSummary, KmByGrade, ReachesQuery, ReachPage, ReachRow, RepairedDefect, SummaryFigures, SummaryRow,
} from '../../common/api/drainage.ts';
import type { FeatureWithLinks, ItemsPage } from '../../common/api/features.ts';
import type { GridAt, Within, WithinRequest } from '../../common/api/query.ts';
import type { SearchPart, SearchResult } from '../../common/api/search.ts';
import type { Direction, ExportFormat, TraceSummary } from '../../common/api/trace.ts';
import type { VehicleTrack, VehicleTracks } from '../../common/api/vehicles.ts';
import type { CrsSource, DirectionCounts, ImportItem, ImportJob, ImportQuery, ImportReport, LayerImportReport } from '../../common/api/imports.ts';
import type { User } from '../../common/api/auth.ts';

export type {
  Advice, CrsSource, DirectionCounts, DrainageSummary, ExportFormat, FeatureWithLinks, GridAt, ImportItem, ImportJob, ImportReport, ItemsPage, LayerImportReport, KmByGrade, ReachPage,
  ReachRow, RepairedDefect, SearchPart, SearchResult, SummaryFigures, SummaryRow, VehicleTrack, VehicleTracks, WithinRequest,
};

/** Every layer a file can be imported into: pipes (the network, a job), the registry layers, inspections. */
export type ImportLayer = ImportQuery['layer'];

/** The network's formats (the import dialog loads networks; ledgers go through ?layer= with CSV, Excel, KML too). */
export type ImportFormat = Extract<NonNullable<ImportQuery['format']>, 'geojson' | 'shapefile' | 'gpkg' | 'swmm'>;

/** A server type as its JSON arrives: Date fields become ISO strings. */
export type Json<T> = T extends Date ? string : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

export type Props = Record<string, unknown>;

// The contract leaves related open (JSON built per layer by SQL): narrowed here, per layer, by R.
export type Details<R = Record<string, unknown>> = Omit<DetailsBody, 'related'> & { related: R };

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

export type WithinResult = Within;

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

export type ReachSort = ReachesQuery['sort'];
export type ReachQuery = ReachesQuery;

/** A logged-in account (/api/auth/me, /api/auth/login). */
export type Account = Omit<User, 'grids'>;

export type { Feature, FeatureCollection, Geometry };
