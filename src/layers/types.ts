import type { LayerSpecification } from 'maplibre-gl';
import type { MessageKey } from '../i18n/index.tsx';
import type { BasemapColors, Theme } from '../map/palette.ts';
import type { SourceId } from '../map/sources.ts';

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

/**
 * One tile source drawn by one or more MapLibre style layers that are shown, hidden and faded together.
 * A module turns the style context into layer descriptions; the style builder composes them.
 */
export interface TileLayerModule {
  /** The vector source id, also the layer's id in the tree and the URL. */
  id: SourceId;
  /** Geometry, drawn in module order. */
  layers(ctx: StyleContext): LayerSpecification[];
  /** Text and symbols, drawn above every module's geometry so labels are never buried. */
  labels?(ctx: StyleContext): LayerSpecification[];
  legend(ctx: StyleContext): LegendItem[];
}
