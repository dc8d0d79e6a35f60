// The layers a file can be imported into besides the network (pipes, importers/import.ts), in the order a
// district of one's own loads them: each is checked against the ones before (streets against the district,
// grids against the communities, hazards against the pipes). Kept apart from the modules (index.ts) so that
// the route contracts (common/api/imports.ts) can name them without loading the importers.
export const LAYER_NAMES = ['district', 'streets', 'communities', 'grids', 'facilities', 'cameras', 'sensors', 'hazards', 'misconnections', 'vehicles'] as const;
export type LayerName = (typeof LAYER_NAMES)[number];

/**
 * Every value of `layer`: the network's, the default, the registry layers, CCTV inspection results, whose
 * rows are matched to reaches rather than stored by a code of their own (inspections.ts), and the basemap
 * (roads, water, buildings and labels from an OSM extract or a surveying office's layers: layers/basemap.ts),
 * which replaces the whole basemap instead of keying rows.
 */
export const IMPORT_LAYERS = ['pipes', ...LAYER_NAMES, 'inspections', 'basemap'] as const;
export type ImportLayer = (typeof IMPORT_LAYERS)[number];
