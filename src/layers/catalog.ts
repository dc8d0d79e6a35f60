// The layer tree: every layer a user can switch, in folders, with its legend. MapLibre layers come from
// the tile modules beside this file; deck.gl layers (src/layers/deck/) are described here only by what
// the tree needs, so that the first page does not load deck.gl to draw the panel.
import type { MessageKey } from '../i18n/index.tsx';
import { densityRamp, layerColors, vehicleColors } from '../map/palette.ts';
import { basemapLayer } from './basemap.ts';
import { camerasLayer } from './cameras.ts';
import { casesLayer } from './cases.ts';
import { facilitiesLayer } from './facilities.ts';
import { gridsLayer } from './grids.ts';
import { hazardsLayer } from './hazards.ts';
import { manholesLayer } from './manholes.ts';
import { misconnectionsLayer } from './misconnections.ts';
import { pipesLayer } from './pipes.ts';
import { sensorsLayer } from './sensors.ts';
import type { LegendItem, StyleContext, TileLayerModule } from './types.ts';

export type { LegendItem, StyleContext, TileLayerModule } from './types.ts';

/** Tile modules in draw order, bottom to top: areas, then lines, then points, the most urgent last. */
export const TILE_LAYERS: readonly TileLayerModule[] = [
  basemapLayer,
  gridsLayer,
  facilitiesLayer,
  pipesLayer,
  manholesLayer,
  misconnectionsLayer,
  hazardsLayer,
  camerasLayer,
  casesLayer,
  sensorsLayer,
];

export const DECK_LAYER_IDS = ['density', 'fov', 'vehicles', 'alarms'] as const;
export type DeckLayerId = (typeof DECK_LAYER_IDS)[number];
export type TileLayerId = TileLayerModule['id'];
export type LayerId = TileLayerId | DeckLayerId;

export interface CatalogEntry {
  /** Also the token in the URL's `layers=` parameter, so it must stay stable. */
  id: LayerId;
  kind: 'tile' | 'deck';
  labelKey: MessageKey;
  defaultVisible: boolean;
  /** Drawn only while this layer is on (its data comes from the parent's tiles). */
  parent?: LayerId;
  /** Zoom below which the layer draws nothing (the tree says so). */
  minzoom?: number;
  /** Options shown under the layer in the tree. */
  options?: 'pipeColor' | 'densityMode' | 'playback';
  legend(ctx: StyleContext): LegendItem[];
}

export interface CatalogFolder {
  id: string;
  labelKey: MessageKey;
  entries: CatalogEntry[];
}

const tile = (m: TileLayerModule, labelKey: MessageKey, defaultVisible: boolean, extra: Partial<CatalogEntry> = {}): CatalogEntry =>
  ({ id: m.id, kind: 'tile', labelKey, defaultVisible, legend: m.legend, ...extra });

export const FOV_MIN_ZOOM = 16;

export const CATALOG: readonly CatalogFolder[] = [
  {
    id: 'base',
    labelKey: 'folder.base',
    entries: [
      tile(basemapLayer, 'layer.basemap', true),
      tile(gridsLayer, 'layer.grids', true),
    ],
  },
  {
    id: 'drainage',
    labelKey: 'folder.drainage',
    entries: [
      tile(pipesLayer, 'layer.pipes', true, { options: 'pipeColor' }),
      tile(manholesLayer, 'layer.manholes', false),
      tile(hazardsLayer, 'layer.hazards', true),
      tile(misconnectionsLayer, 'layer.misconnections', false),
      tile(facilitiesLayer, 'layer.facilities', true),
    ],
  },
  {
    id: 'iot',
    labelKey: 'folder.iot',
    entries: [
      tile(sensorsLayer, 'layer.sensors', true),
      {
        id: 'alarms', kind: 'deck', labelKey: 'layer.alarms', defaultVisible: true, parent: 'sensors',
        legend: () => [
          { shape: 'pulse', color: layerColors.sensorAlarm, labelKey: 'status.alarm' },
          { shape: 'pulse', color: layerColors.sensorWarning, labelKey: 'status.warning' },
        ],
      },
      tile(camerasLayer, 'layer.cameras', false),
      {
        id: 'fov', kind: 'deck', labelKey: 'layer.fov', defaultVisible: true, parent: 'cameras', minzoom: FOV_MIN_ZOOM,
        legend: () => [{ shape: 'sector', color: layerColors.fov, labelKey: 'legend.fov' }],
      },
    ],
  },
  {
    id: 'city',
    labelKey: 'folder.city',
    entries: [
      tile(casesLayer, 'layer.cases', false),
      {
        id: 'density', kind: 'deck', labelKey: 'layer.density', defaultVisible: false, options: 'densityMode',
        legend: () => [{ shape: 'ramp', color: densityRamp.map(([r, g, b]) => `rgb(${r},${g},${b})`), labelKey: 'legend.densityRamp' }],
      },
      {
        id: 'vehicles', kind: 'deck', labelKey: 'layer.vehicles', defaultVisible: false, options: 'playback',
        legend: () => [
          { shape: 'trail', color: vehicleColors.sanitation, labelKey: 'vehicle.sanitation' },
          { shape: 'trail', color: vehicleColors.drainage, labelKey: 'vehicle.drainage' },
          { shape: 'trail', color: vehicleColors.inspection, labelKey: 'vehicle.inspection' },
          { shape: 'trail', color: vehicleColors.emergency, labelKey: 'vehicle.emergency' },
          { shape: 'circle', color: vehicleColors.offline, labelKey: 'status.offline' },
        ],
      },
    ],
  },
];

export const ALL_ENTRIES: readonly CatalogEntry[] = CATALOG.flatMap((f) => f.entries);
export const ALL_LAYER_IDS: readonly LayerId[] = ALL_ENTRIES.map((e) => e.id);
export const entryById = (id: LayerId): CatalogEntry => ALL_ENTRIES.find((e) => e.id === id)!;
export const isDeckLayer = (id: string): id is DeckLayerId => (DECK_LAYER_IDS as readonly string[]).includes(id);

/** MapLibre style layer ids of a tile module, geometry and labels together. */
export function styleLayerIds(m: TileLayerModule, ctx: StyleContext): string[] {
  return [...m.layers(ctx), ...(m.labels?.(ctx) ?? [])].map((l) => l.id);
}

/** A layer draws when it is on and, for a child, its parent is on too. */
export function isDrawn(id: LayerId, visible: ReadonlySet<string>): boolean {
  const e = entryById(id);
  return visible.has(id) && (!e.parent || visible.has(e.parent));
}
