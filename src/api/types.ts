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

export interface PipeRelated {
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

export type { Feature, FeatureCollection, Geometry };
