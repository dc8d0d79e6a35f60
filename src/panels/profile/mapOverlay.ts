// Lines and points of our own over the map (a profile's path and its hovered reach, design-check
// findings), kept through style reloads like the overdue ring: re-added on every 'styledata' that lacks them.
import type { LayerSpecification, Map as MapLibreMap } from 'maplibre-gl';

/** Installs `layers` (made for the map's current style) and keeps them; returns the cleanup. */
export function keepLayers(map: MapLibreMap, make: () => LayerSpecification[], sources: Record<string, GeoJSON.FeatureCollection> = {}): { remove(): void; setData(source: string, data: GeoJSON.FeatureCollection): void } {
  let removed = false;
  const data = { ...sources };
  const sync = () => {
    if (removed || !map.getStyle()) return;
    try {
      for (const [id, fc] of Object.entries(data)) if (!map.getSource(id)) map.addSource(id, { type: 'geojson', data: fc });
      for (const l of make()) if (!map.getLayer(l.id) && (!('source' in l) || map.getSource(l.source as string))) map.addLayer(l);
    } catch {
      /* the style is still loading: its 'styledata' event comes next */
    }
  };
  map.on('styledata', sync);
  sync();
  return {
    setData(source, fc) {
      data[source] = fc;
      const src = map.getSource(source) as { setData?(d: GeoJSON.FeatureCollection): void } | undefined;
      src?.setData?.(fc);
    },
    remove() {
      removed = true;
      map.off('styledata', sync);
      if (!map.getStyle()) return;
      for (const l of make()) if (map.getLayer(l.id)) map.removeLayer(l.id);
      for (const id of Object.keys(data)) if (map.getSource(id)) map.removeSource(id);
    },
  };
}
