// Shapes of the server's JSON answers the app reads (DESIGN.md "HTTP contract" and the query/search/details routes).
import type { Feature, FeatureCollection, Geometry } from 'geojson';

export type Props = Record<string, unknown>;

export interface Details<R = Record<string, unknown>> {
  layer: string;
  id: string | number;
  properties: Props;
  geometry: Geometry | null;
  related: R;
}

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

export interface SearchResult {
  layer: string;
  id: string | number;
  label: string;
  sublabel?: string | null;
  lon: number;
  lat: number;
  bbox?: [number, number, number, number] | null;
}

export interface WithinResult {
  counts: Record<string, number>;
  features: Record<string, FeatureCollection>;
}

export interface GridAt {
  grid: { code: string; area_m2?: number } | null;
  community: { code: string; name: string } | null;
  street: { code: string; name: string } | null;
  district: { code: string; name: string } | null;
}

export interface VehicleTrack {
  id: number;
  plate: string;
  kind: string;
  status: string;
  path: [number, number, number][];
}

export interface VehicleTracks {
  from: number;
  to: number;
  vehicles: VehicleTrack[];
}

export interface DensityCells {
  level: number;
  cellSize: number;
  cells: [number, number, number, number][];
}

/** A start for a trace: `manhole:<id>` or `pipe:<id>`. */
export type TraceFrom = `${'manhole' | 'pipe'}:${number}`;
export type TraceDirection = 'upstream' | 'downstream';

export interface NamedRef {
  code: string;
  name: string;
}

/** GET /api/trace: what an upstream/downstream trace reaches. */
export interface TraceResult {
  start: { kind: 'manhole' | 'pipe'; id: number };
  direction: TraceDirection;
  method: string;
  pipes: { count: number; length_m: number; ids: number[] };
  manholes: { count: number; ids: number[] };
  facilities: { id: number; code: string; name: string; kind: string }[];
  ends: { id: number; code: string; kind: string }[];
  grids: string[];
  communities: { code: string; name: string; street: string }[];
  sensors: { count: number; items: { id: number; code: string; name: string; kind: string; status: string }[] };
  cameras: { count: number; items: { id: number; code: string; name: string; status: string; distance_m: number }[] };
  hazards: { count: number; open: number };
  misconnections: { count: number; by_kind: Partial<Record<MisconnectionKind, number>> };
  revisits?: number;
  timing_ms?: number;
}

export type MisconnectionKind = 'sanitary_to_storm' | 'storm_to_sanitary' | 'other';
export type MisconnectionStatus = 'found' | 'confirmed' | 'fixed';

/** Advice or density text of a CJJ 181 rule, in both languages. */
export interface Advice {
  code: string;
  zh: string;
  en: string;
}

/** One reach of GET /api/drainage/reaches (the hazard ranking). */
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
  center: [number, number];
  bbox: [number, number, number, number];
}

export interface ReachPage {
  total: number;
  items: ReachRow[];
}

export type ReachSort = 'ri' | 'mi';

export interface ReachQuery {
  sort: ReachSort;
  street?: string;
  community?: string;
  sgrade?: number;
  fgrade?: number;
  code?: string;
  diameter_min?: number;
  diameter_max?: number;
  limit: number;
  offset: number;
}

/** km of pipe per grade: '1'–'4' and 'none' (never inspected). */
export type KmByGrade = Record<'1' | '2' | '3' | '4' | 'none', number>;

export interface SummaryFigures {
  km: { total: number; main: number; community: number };
  km_by_sgrade: KmByGrade;
  km_by_fgrade: KmByGrade;
  hazards: { total: number; open: number };
  misconnections: {
    total: number;
    by_kind: Partial<Record<MisconnectionKind, number>>;
    by_status: Partial<Record<MisconnectionStatus, number>>;
  };
}

export interface SummaryRow extends SummaryFigures {
  code: string;
  name: string;
  street?: NamedRef;
}

/** GET /api/drainage/summary */
export interface DrainageSummary {
  rows: SummaryRow[];
  total: SummaryFigures;
}

export type ExportFormat = 'geojson' | 'gpkg' | 'csv' | 'inp';
export type ImportFormat = 'geojson' | 'shapefile' | 'gpkg' | 'swmm';

/** Where the flow direction of imported links came from, as counts of links. */
export interface DirectionCounts {
  from_file: number;
  from_inverts: number;
  digitised: number;
  /** Links turned round because their invert levels say the water runs the other way. */
  reversed: number;
}

/** The validation report of an imported network. */
export interface ImportReport {
  read: { nodes: number; links: number };
  written: { manholes: number; pipes: number };
  skipped: { what: string; reason: string; count: number; examples?: string[] }[];
  created_nodes: number;
  snapped_nodes: number;
  /** Lines split where they pass over a node. */
  split_links?: number;
  components: number;
  zero_length: number;
  duplicates: number;
  cycles: number;
  /** Counts per source; older servers answered with one word for the whole file. */
  direction: DirectionCounts | 'inverts' | 'digitised' | 'file';
  outfalls?: number;
  format?: string;
  crs: string;
  bbox: [number, number, number, number] | null;
  warnings?: string[];
  timing_ms?: { read: number; topology: number; write: number };
}

export interface ImportJob {
  state: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  stage: string;
  error?: string;
  import?: { id: number | string; report: ImportReport };
}

export interface ImportItem {
  id: number | string;
  filename: string;
  format: string;
  created_at: string;
  report: ImportReport | null;
}

/** A logged-in account (/api/auth/me, /api/auth/login). */
export interface Account {
  id: number;
  username: string;
  display_name: string;
  role: 'commander' | 'planner' | 'field' | 'dispatcher' | 'admin';
}

export type { Feature, FeatureCollection, Geometry };
