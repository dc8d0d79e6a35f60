// The district's data layer by layer, for the data page (layer-status.ts) and downloads (layer-export.ts):
// the table a layer's rows are in, which rows are the seed's synthetic ones, which import layer loads it, and
// the columns a download carries. Columns are listed, not taken from the table: a column added later (a
// reporter's contact) reaches no file until it is listed here. Personal data of cases is not listed at all.
import type { DataLayerId } from '../../common/api/data.ts';
import type { ImportLayer } from '../importers/layers/names.ts';

export interface DataLayer {
  id: DataLayerId;
  /** The table of its rows (alias t in the SQL below). */
  table: string;
  /** A row is synthetic when this holds (SQL over t). */
  synthetic: string;
  importLayer: ImportLayer | null;
  /** Columns of a download, as SQL over t, each named (`t.code`, `(SELECT …) AS pipe_code`). */
  columns: readonly string[];
  /** The row's geometry (WGS84), SQL over t; null for a table without one. */
  geom: string | null;
  order: string;
}

const plain = (...cols: string[]) => cols.map((c) => `t.${c}`);
const code = (table: string, id: string, as: string) => `(SELECT x.code FROM ${table} x WHERE x.id = t.${id}) AS ${as}`;
const inspectionPipe = `(SELECT p.geom FROM inspections i JOIN pipes p ON p.id = i.pipe_id WHERE i.id = t.inspection_id)`;

export const DATA_LAYER_DEFS: readonly DataLayer[] = [
  { id: 'district', table: 'districts', synthetic: 't.synthetic', importLayer: 'district', columns: plain('code', 'name', 'synthetic'), geom: 't.geom', order: 't.code' },
  { id: 'streets', table: 'streets', synthetic: 't.synthetic', importLayer: 'streets', columns: plain('code', 'name', 'district_code', 'synthetic'), geom: 't.geom', order: 't.code' },
  { id: 'communities', table: 'communities', synthetic: 't.synthetic', importLayer: 'communities', columns: plain('code', 'name', 'street_code', 'synthetic'), geom: 't.geom', order: 't.code' },
  { id: 'grids', table: 'grids', synthetic: 't.synthetic', importLayer: 'grids', columns: plain('code', 'community_code', 'area_m2', 'synthetic'), geom: 't.geom', order: 't.code' },
  { id: 'roads', table: 'roads', synthetic: 't.synthetic', importLayer: null, columns: plain('id', 'name', 'class', 'synthetic'), geom: 't.geom', order: 't.id' },
  { id: 'water', table: 'water', synthetic: 't.synthetic', importLayer: null, columns: plain('id', 'name', 'kind', 'synthetic'), geom: 't.geom', order: 't.id' },
  { id: 'labels', table: 'labels', synthetic: 't.synthetic', importLayer: null, columns: plain('id', 'name', 'kind', 'rank', 'minzoom', 'synthetic'), geom: 't.geom', order: 't.id' },
  {
    id: 'pipes', table: 'pipes', synthetic: 't.synthetic', importLayer: 'pipes',
    columns: [...plain('id', 'code'), code('manholes', 'from_node', 'from_code'), code('manholes', 'to_node', 'to_code'),
      ...plain('usage', 'network', 'diameter_mm', 'material', 'length_m', 'up_invert_m', 'down_invert_m', 'built_year', 'road_name', 'area_class', 'soil_class', 'sgrade', 'fgrade', 'grid_code', 'import_id', 'synthetic')],
    geom: 't.geom', order: 't.id',
  },
  {
    id: 'manholes', table: 'manholes', synthetic: 't.synthetic', importLayer: 'pipes',
    columns: plain('id', 'code', 'kind', 'usage', 'network', 'ground_elev_m', 'invert_elev_m', 'depth_m', 'import_id', 'synthetic'), geom: 't.geom', order: 't.id',
  },
  {
    id: 'facilities', table: 'facilities', synthetic: 't.synthetic', importLayer: 'facilities',
    columns: [...plain('id', 'code', 'name', 'kind'), code('manholes', 'manhole_id', 'manhole_code'), ...plain('capacity', 'synthetic')], geom: 't.geom', order: 't.id',
  },
  {
    id: 'cameras', table: 'cameras', synthetic: 't.synthetic', importLayer: 'cameras',
    columns: plain('id', 'code', 'name', 'kind', 'azimuth_deg', 'hfov_deg', 'range_m', 'height_m', 'status', 'status_since', 'stream_url', 'owner', 'grid_code', 'installed_on', 'synthetic'),
    geom: 't.geom', order: 't.id',
  },
  {
    id: 'sensors', table: 'sensor_stations', synthetic: 't.synthetic', importLayer: 'sensors',
    columns: [...plain('id', 'code', 'name', 'kind', 'status'), code('facilities', 'facility_id', 'facility_code'), code('manholes', 'manhole_id', 'manhole_code'),
      `(SELECT string_agg(d.quantity || ' (' || d.unit || ')', '; ' ORDER BY d.quantity) FROM datastreams d WHERE d.station_id = t.id) AS quantities`, 't.synthetic'],
    geom: 't.geom', order: 't.id',
  },
  {
    id: 'inspections', table: 'inspections', synthetic: 't.synthetic', importLayer: null,
    columns: [...plain('id'), code('pipes', 'pipe_id', 'pipe_code'), ...plain('inspected_at', 'method', 'direction', 'inspected_length_m', 'operator', 'synthetic')],
    geom: '(SELECT p.geom FROM pipes p WHERE p.id = t.pipe_id)', order: 't.id',
  },
  {
    id: 'defects', table: 'defects', synthetic: '(SELECT i.synthetic FROM inspections i WHERE i.id = t.inspection_id)', importLayer: null,
    columns: [...plain('id', 'inspection_id'), `(SELECT p.code FROM inspections i JOIN pipes p ON p.id = i.pipe_id WHERE i.id = t.inspection_id) AS pipe_code`,
      ...plain('code', 'grade', 'distance_m', 'length_m', 'clock_from', 'clock_to', 'note')],
    // Where the defect is along its reach.
    geom: `(SELECT ST_LineInterpolatePoint(g, least(1, t.distance_m / greatest(ST_Length(g::geography), 0.01))) FROM (SELECT ${inspectionPipe} AS g) x)`, order: 't.id',
  },
  {
    id: 'hazards', table: 'hazards', synthetic: 't.synthetic', importLayer: 'hazards',
    columns: [...plain('id', 'ledger_code'), code('pipes', 'pipe_id', 'pipe_code'), ...plain('code', 'grade', 'status', 'found_at', 'description', 'grid_code', 'synthetic')],
    geom: 't.geom', order: 't.id',
  },
  {
    id: 'misconnections', table: 'misconnections', synthetic: 't.synthetic', importLayer: 'misconnections',
    columns: [...plain('id', 'ledger_code'), code('pipes', 'pipe_id', 'pipe_code'), code('manholes', 'manhole_id', 'manhole_code'), ...plain('kind', 'status', 'found_at', 'flow_m3d', 'grid_code', 'synthetic')],
    geom: 't.geom', order: 't.id',
  },
  {
    id: 'vehicles', table: 'vehicles', synthetic: 't.synthetic', importLayer: 'vehicles',
    columns: plain('id', 'plate', 'kind', 'status', 'speed_kmh', 'heading_deg', 'updated_at', 'synthetic'), geom: 't.geom', order: 't.id',
  },
  {
    id: 'cases', table: 'cases', synthetic: 't.synthetic', importLayer: null,
    columns: plain('id', 'case_no', 'class_code', 'item_code', 'source', 'status', 'description', 'address', 'reported_at', 'dispatched_at', 'deadline_at',
      'handled_at', 'closed_at', 'grid_code', 'community_code', 'street_code', 'synthetic'),
    geom: 't.geom', order: 't.id',
  },
];

export const DATA_LAYER_BY_ID: ReadonlyMap<DataLayerId, DataLayer> = new Map(DATA_LAYER_DEFS.map((l) => [l.id, l]));
