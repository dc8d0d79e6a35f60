import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import { TILE_LAYERS, type StyleContext, type TileLayerModule } from '../layers/catalog.ts';
import { overlayLayers, overlaySources } from '../layers/overlays.ts';
import type { PipeColorMode } from '../layers/types.ts';
import { withOpacity } from './opacity.ts';
import { basemapPalettes, type Theme } from './palette.ts';
import { vectorSource } from './sources.ts';

/** Everything the style depends on: the theme and the layer tree's state. */
export interface StyleState {
  theme: Theme;
  pipeColor: PipeColorMode;
  visible: ReadonlySet<string>;
  /** 0–1 per layer id; missing = 1. */
  opacity: Readonly<Record<string, number>>;
}

export function styleContext(state: Pick<StyleState, 'theme' | 'pipeColor'> & Partial<Pick<StyleState, 'visible'>>): StyleContext {
  return { theme: state.theme, base: basemapPalettes[state.theme], pipeColor: state.pipeColor, caseDensity: state.visible?.has('density') ?? false };
}

function shown(layer: LayerSpecification, visible: boolean, opacity: number): LayerSpecification {
  if (layer.type === 'background') return layer;
  const l = withOpacity(layer, opacity);
  return { ...l, layout: { ...l.layout, visibility: visible ? 'visible' : 'none' } } as LayerSpecification;
}

/**
 * The whole map style as data: our own vector sources, the layer modules in draw order, every module's
 * labels on top, then the selection and tool overlays. There is deliberately no `glyphs` and no `sprite`:
 * text is rasterised locally (see fonts.ts) and symbols are circles, so the map needs nothing from
 * outside our server.
 */
export function buildStyle(
  state: StyleState,
  origin: string = window.location.origin,
  modules: readonly TileLayerModule[] = TILE_LAYERS,
): StyleSpecification {
  const ctx = styleContext(state);
  const sources: Record<string, SourceSpecification> = {};
  for (const m of modules) sources[m.id] = vectorSource(m.id, origin);
  Object.assign(sources, overlaySources());

  const background: LayerSpecification = {
    id: 'background',
    type: 'background',
    paint: { 'background-color': ctx.base.land },
  };
  const each = (pick: (m: TileLayerModule) => LayerSpecification[]) =>
    modules.flatMap((m) => pick(m).map((l) => shown(l, state.visible.has(m.id), state.opacity[m.id] ?? 1)));
  const geometry = each((m) => m.layers(ctx));
  const labels = each((m) => m.labels?.(ctx) ?? []);

  return {
    version: 8,
    name: '武昌“一张图” Wuchang One-Map',
    metadata: { 'onemap:synthetic': true, 'onemap:theme': state.theme },
    sources,
    layers: [background, ...geometry, ...labels, ...overlayLayers(ctx)],
  };
}
