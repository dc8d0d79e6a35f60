// Contracts of the data page (server/routes/data.ts): which layers have rows (public: the layer tree says what
// is not loaded yet), each layer's rows, source and last change (planners and admins), and every layer as a file.
import { Type, type Static } from 'typebox';
import { IMPORT_LAYERS } from '../../server/importers/layers/names.ts';
import { Nullable, StringEnum, Timestamp } from './common.ts';

/** The district's data, layer by layer, in the order a district loads it. */
export const DATA_LAYERS = ['district', 'streets', 'communities', 'grids', 'roads', 'water', 'labels', 'pipes', 'manholes', 'facilities',
  'cameras', 'sensors', 'inspections', 'defects', 'hazards', 'misconnections', 'vehicles', 'cases'] as const;
export type DataLayerId = (typeof DATA_LAYERS)[number];

export const DOWNLOAD_FORMATS = ['gpkg', 'geojson', 'csv', 'xlsx'] as const;
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];

const Count = Type.Integer({ minimum: 0 });

export const LayerPresence = Type.Object({
  id: StringEnum(DATA_LAYERS),
  loaded: Type.Boolean({ description: 'The layer has rows' }),
  synthetic: Type.Boolean({ description: 'Some of its rows are the seed\'s synthetic ones' }),
  import_layer: Nullable(StringEnum(IMPORT_LAYERS, { description: 'The import layer (?layer=) that loads it; null: not imported from a file here' })),
});
export type LayerPresence = Static<typeof LayerPresence>;

export const LayerPresenceList = Type.Object({ layers: Type.Array(LayerPresence) });
export type LayerPresenceList = Static<typeof LayerPresenceList>;

export const LayerImportSource = Type.Object({
  id: Type.Integer(),
  filename: Type.String(),
  format: Type.String(),
  created_at: Timestamp(),
  by: Nullable(Type.String({ description: 'Who imported it (the audit log\'s actor)' })),
  inserted: Count,
  updated: Count,
});

export const LayerDetails = Type.Object({
  ...LayerPresence.properties,
  rows: Count,
  synthetic_rows: Count,
  imports: Type.Array(LayerImportSource, { description: 'Imports into the layer, newest first (at most 5)' }),
  import_count: Count,
  last_change: Nullable(Timestamp({ description: 'When the layer\'s table last changed, as far as known (its trigger, its last import, the seed)' })),
});
export type LayerDetails = Static<typeof LayerDetails>;

export const LayerDetailsList = Type.Object({ layers: Type.Array(LayerDetails) });
export type LayerDetailsList = Static<typeof LayerDetailsList>;

export const LayerParams = Type.Object({ id: StringEnum(DATA_LAYERS) });
export const DownloadQuery = Type.Object({ format: StringEnum(DOWNLOAD_FORMATS) }, { additionalProperties: false });
