// Brings the live map from one built style to the next with the fewest calls (setPaintProperty,
// setLayoutProperty, setFilter…), like MapLibre's own `setStyle(…, {diff: true})` but without touching
// GeoJSON source data (the selection and the tools set theirs) or deck.gl's custom layers.
import type { LayerSpecification, Map as MapLibreMap, StyleSpecification } from 'maplibre-gl';

type Props = Record<string, unknown>;
const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

function syncProps(
  prev: Props | undefined,
  next: Props | undefined,
  set: (name: string, value: unknown) => void,
): void {
  const keys = new Set([...Object.keys(prev ?? {}), ...Object.keys(next ?? {})]);
  for (const k of keys) {
    if (!same(prev?.[k], next?.[k])) set(k, next?.[k]);
  }
}

const structural = (l: LayerSpecification) =>
  JSON.stringify([l.type, 'source' in l ? l.source : null, 'source-layer' in l ? l['source-layer'] : null]);

export function syncStyle(map: MapLibreMap, prev: StyleSpecification, next: StyleSpecification): void {
  for (const [id, src] of Object.entries(next.sources)) {
    if (!map.getSource(id)) map.addSource(id, src);
  }
  const prevById = new Map(prev.layers.map((l) => [l.id, l]));
  const nextIds = new Set(next.layers.map((l) => l.id));
  for (const l of prev.layers) {
    if (!nextIds.has(l.id) && map.getLayer(l.id)) map.removeLayer(l.id);
  }
  next.layers.forEach((layer, i) => {
    const old = prevById.get(layer.id);
    if (!old || !map.getLayer(layer.id) || structural(old) !== structural(layer)) {
      if (map.getLayer(layer.id)) map.removeLayer(layer.id);
      const before = next.layers.slice(i + 1).find((l) => map.getLayer(l.id))?.id;
      map.addLayer(layer, before);
      return;
    }
    const id = layer.id;
    syncProps(old.paint as Props, layer.paint as Props, (k, v) => map.setPaintProperty(id, k as never, v as never));
    syncProps(old.layout as Props, layer.layout as Props, (k, v) => map.setLayoutProperty(id, k as never, v as never));
    if (!same('filter' in old ? old.filter : undefined, 'filter' in layer ? layer.filter : undefined)) {
      map.setFilter(id, ('filter' in layer ? layer.filter : null) ?? null);
    }
    if (old.minzoom !== layer.minzoom || old.maxzoom !== layer.maxzoom) {
      map.setLayerZoomRange(id, layer.minzoom ?? 0, layer.maxzoom ?? 24);
    }
  });
}
