import type { Layer } from '@deck.gl/core';
import type { Theme } from '../../map/palette.ts';

/** The deck.gl layers the DeckController draws (each has its module in src/layers/ for the tree). */
export type DeckLayerId = 'density' | 'fov' | 'vehicles' | 'alarms' | 'personnel';

/** What every deck.gl layer module gets besides its own data. */
export interface DeckLayerContext {
  theme: Theme;
  /** 0–1 from the tree's slider. */
  opacity: number;
  /** Animation clock in seconds (monotonic, for pulses). */
  clock: number;
  zoom: number;
}

/** A deck.gl layer module: data and context in, layer descriptions out; deck diffs them. */
export type DeckLayerBuilder<D> = (data: D, ctx: DeckLayerContext) => Layer[];
