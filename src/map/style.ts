import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import { LAYER_GROUPS, type MapLayerGroup } from '../layers/index.ts';
import { basemapColors } from './palette.ts';
import { vectorSource, type SourceId } from './sources.ts';

function withVisibility(layer: LayerSpecification, visible: boolean): LayerSpecification {
  if (layer.type === 'background') return layer;
  return { ...layer, layout: { ...layer.layout, visibility: visible ? 'visible' : 'none' } } as LayerSpecification;
}

/**
 * The whole map style as data: our own vector sources, the layer groups in draw order, and every
 * group's labels on top. There is deliberately no `glyphs` and no `sprite`: text is rasterised
 * locally (see fonts.ts) and symbols are circles, so the map needs nothing from outside our server.
 */
export function buildStyle(
  visibleGroups: ReadonlySet<string>,
  origin: string = window.location.origin,
  groups: readonly MapLayerGroup[] = LAYER_GROUPS,
): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {};
  for (const g of groups) sources[g.id] = vectorSource(g.id as SourceId, origin);

  const background: LayerSpecification = {
    id: 'background',
    type: 'background',
    paint: { 'background-color': basemapColors.land },
  };
  const geometry = groups.flatMap((g) => g.layers.map((l) => withVisibility(l, visibleGroups.has(g.id))));
  const labels = groups.flatMap((g) => (g.labels ?? []).map((l) => withVisibility(l, visibleGroups.has(g.id))));

  return {
    version: 8,
    name: '武昌“一张图” Wuchang One-Map',
    metadata: { 'onemap:synthetic': true },
    sources,
    layers: [background, ...geometry, ...labels],
  };
}
