import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import { TILE_LAYERS, type StyleContext, type TileLayerModule } from '../layers/catalog.ts';
import { overlayLayers, overlaySources } from '../layers/overlays.ts';
import type { PipeColorMode } from '../layers/types.ts';
import { PITCHED } from '../layers/buildings-style.ts';
import type { ActiveBasemap } from '../prefs/basemap.ts';
import { externalBasemap } from './externalBasemap.ts';
import { withShippedFont } from './fonts.ts';
import { withOpacity } from './opacity.ts';
import { basemapPalettes, type Theme } from './palette.ts';
import { vectorSource } from './sources.ts';
import { COMPOSITE_SOURCE, compositeLayers } from './tileSources.ts';

/** Everything the style depends on: the theme and the layer tree's state. */
export interface StyleState {
  theme: Theme;
  pipeColor: PipeColorMode;
  visible: ReadonlySet<string>;
  /** 0–1 per layer id; missing = 1. */
  opacity: Readonly<Record<string, number>>;
  /** An external basemap drawn instead of the embedded one (whose labels may stay over it); none by default. */
  basemap?: ActiveBasemap | null;
}

/**
 * How tile layers get their data: one source per layer, or the default layers in one composite source
 * (tileSources.ts) and the others one each. The desktop and field maps use the composite; the wall's scenes
 * switch sources by layer id and keep one source per layer.
 */
export type SourceWiring = 'per-layer' | 'composite';

export function styleContext(state: Pick<StyleState, 'theme' | 'pipeColor'> & Partial<Pick<StyleState, 'visible'>>): StyleContext {
  return { theme: state.theme, base: basemapPalettes[state.theme], pipeColor: state.pipeColor, caseDensity: state.visible?.has('density') ?? false };
}

/** The embedded basemap's module (src/layers/basemap.ts), which an external basemap replaces. */
const EMBEDDED_ID = 'basemap';

function shown(layer: LayerSpecification, visible: boolean, opacity: number): LayerSpecification {
  if (layer.type === 'background') return layer;
  const l = withOpacity(layer, opacity);
  return { ...l, layout: { ...l.layout, visibility: visible ? 'visible' : 'none' } } as LayerSpecification;
}

/**
 * The whole map style as data: our own vector sources, an external basemap if one is chosen, the layer
 * modules in draw order, every module's labels on top, then the selection and tool overlays. There is deliberately no `glyphs` and no `sprite`:
 * text is rasterised locally in the font the app ships (see fonts.ts) and symbols are circles, so the map needs nothing from
 * outside our server unless the operator configured an external basemap and the user chose it.
 */
export function buildStyle(
  state: StyleState,
  origin: string = window.location.origin,
  modules: readonly TileLayerModule[] = TILE_LAYERS,
  wiring: SourceWiring = 'per-layer',
): StyleSpecification {
  const ctx = styleContext(state);
  const sources: Record<string, SourceSpecification> = {};
  const composite = wiring === 'composite' ? compositeLayers(modules) : [];
  if (composite.length) sources[COMPOSITE_SOURCE] = vectorSource(composite, origin);
  for (const m of modules) if (!composite.includes(m.id)) sources[m.id] = vectorSource(m.id, origin);
  Object.assign(sources, overlaySources());
  // A module's style layers name its own source (its id); the composite's layers read from that instead.
  const wired = (l: LayerSpecification): LayerSpecification =>
    ('source' in l && typeof l.source === 'string' && composite.includes(l.source) ? { ...l, source: COMPOSITE_SOURCE } as LayerSpecification : l);

  const background: LayerSpecification = {
    id: 'background',
    type: 'background',
    paint: { 'background-color': ctx.base.land },
  };
  // An external basemap takes the embedded one's place; the embedded labels stay over it when asked.
  const external = state.basemap && state.visible.has(EMBEDDED_ID) ? externalBasemap(state.basemap) : null;
  if (external) Object.assign(sources, external.sources);
  const drawn = (m: TileLayerModule, part: 'layers' | 'labels') =>
    state.visible.has(m.id) && !(m.id === EMBEDDED_ID && state.basemap && (part === 'layers' || !state.basemap.labels));
  const each = (part: 'layers' | 'labels', pick: (m: TileLayerModule) => LayerSpecification[]) =>
    modules.flatMap((m) => pick(m).map((l) => shown(wired(l), drawn(m, part), state.opacity[m.id] ?? 1)));
  const geometry = each('layers', (m) => m.layers(ctx));
  const labels = each('labels', (m) => m.labels?.(ctx) ?? []);
  const under = (external?.layers ?? []).map((l) => shown(l, true, state.opacity[EMBEDDED_ID] ?? 1));

  return withShippedFont({
    version: 8,
    name: '武昌“一张图” Wuchang One-Map',
    metadata: { 'onemap:synthetic': true, 'onemap:theme': state.theme },
    // Set by the map view as the map tilts: buildings are drawn flat from above, extruded when pitched.
    state: { [PITCHED]: { default: false } },
    sources,
    layers: [background, ...under, ...geometry, ...labels, ...overlayLayers(ctx)],
  });
}
