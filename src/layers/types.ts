import type { LayerSpecification } from 'maplibre-gl';
import type { I18n, MessageKey } from '../i18n/index.tsx';
import type { BasemapColors, Theme } from '../map/palette.ts';
import type { DeckLayerId } from './deck/types.ts';
import type { DataLayerId } from '../../common/api/data.ts';

/** Pipes coloured by usage (雨/污/合) or by their CJJ 181 structural or functional grade. */
export type PipeColorMode = 'usage' | 'sgrade' | 'fgrade';
export const PIPE_COLOR_MODES: readonly PipeColorMode[] = ['usage', 'sgrade', 'fgrade'];
/** Case density as hexagon bins or as a heatmap. */
export type DensityMode = 'hex' | 'heat';
export const DENSITY_MODES: readonly DensityMode[] = ['hex', 'heat'];

/** What a style layer may depend on besides its data. */
export interface StyleContext {
  theme: Theme;
  base: BasemapColors;
  pipeColor: PipeColorMode;
  /** The case density layer is drawn: case clusters give way to it. */
  caseDensity?: boolean;
}

export type LegendShape = 'line' | 'dash' | 'circle' | 'ring' | 'fill' | 'ramp' | 'sector' | 'pulse' | 'trail';

export interface LegendItem {
  shape: LegendShape;
  /** One colour, or a ramp's stops. */
  color: string | readonly string[];
  labelKey?: MessageKey;
  /** Literal text (a code such as "Ⅳ"), used when there is no message key. */
  label?: string;
}

/** The folders of the layer tree, in their order. */
export const FOLDERS = [
  { id: 'base', labelKey: 'folder.base' },
  { id: 'drainage', labelKey: 'folder.drainage' },
  { id: 'iot', labelKey: 'folder.iot' },
  { id: 'city', labelKey: 'folder.city' },
] as const satisfies readonly { id: string; labelKey: MessageKey }[];
export type FolderId = (typeof FOLDERS)[number]['id'];

/** How a layer appears in the tree (and in the URL's `layers=`): what every layer module states. */
interface LayerEntry {
  /** Also the token in the URL's `layers=` parameter, so it must stay stable. */
  id: string;
  labelKey: MessageKey;
  folder: FolderId;
  /** Position in its folder, smaller first. */
  treeOrder: number;
  defaultVisible: boolean;
  /** Drawn only while this layer is on (its data comes from the parent's tiles). */
  parent?: string;
  /** Zoom below which the layer draws nothing (the tree says so). */
  minzoom?: number;
  /** Options shown under the layer in the tree. */
  options?: 'pipeColor' | 'densityMode' | 'playback' | 'basemapSource';
  /** The data layers it draws (common/api/data.ts): while all are empty the tree says so instead of an empty map. */
  data: readonly DataLayerId[];
  legend(ctx: StyleContext): LegendItem[];
}

/** What identify, the details panel and the selection tool know of a layer's features. */
export interface FeatureInfo {
  /** The property the details API knows a feature by; the feature id when absent. */
  key?: string;
  /** One line that names a feature (tooltips, details header, tables); the name or code when absent. */
  title?(p: Record<string, unknown>, i: Pick<I18n, 't' | 'tr' | 'num' | 'date'>): string;
  /** Left unticked in the selection tool even while drawn (areas: a selection of them is rarely meant). */
  preselect?: false;
}

/**
 * A layer module (src/layers/<id>.ts, its default export): one tile source of the same id (tiles/<id>.ts on
 * the server) drawn by one or more MapLibre style layers that are shown, hidden and faded together. A
 * module turns the style context into layer descriptions; the style builder composes them.
 */
export interface TileLayerModule extends LayerEntry {
  kind: 'tile';
  /** Position in the map's draw order of geometry, bottom to top. */
  drawOrder: number;
  /** Geometry, drawn in module order. */
  layers(ctx: StyleContext): LayerSpecification[];
  /** Text and symbols, drawn above every module's geometry so labels are never buried. */
  labels?(ctx: StyleContext): LayerSpecification[];
  /**
   * Its features are things to click, select and open: the server has a collection of the same id
   * (/api/details, /api/query). Absent for decoration (the basemap).
   */
  features?: FeatureInfo;
}

/** A deck.gl layer in the tree: drawn by the DeckController (src/map/deck/), described here without deck.gl. */
export interface DeckLayerModule extends LayerEntry {
  kind: 'deck';
  id: DeckLayerId;
}

export type LayerModule = TileLayerModule | DeckLayerModule;
