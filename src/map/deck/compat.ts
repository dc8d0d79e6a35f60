// @deck.gl/mapbox 9.4 reads the map's camera through `map.transform` (height, elevation, near/far
// planes). MapLibre GL JS 6 keeps it at `map._camera.transform` and has no `map.transform`, so in
// interleaved mode deck.gl throws on every frame ("reading 'height'") and the whole map stops drawing.
// Until deck.gl follows, the map gets a read-only alias.
import type { Map as MapLibreMap } from 'maplibre-gl';

export function patchMapForDeck(map: MapLibreMap): void {
  const m = map as unknown as { transform?: unknown; _camera?: { transform?: unknown } };
  if (m.transform !== undefined || !m._camera) return;
  Object.defineProperty(map, 'transform', { configurable: true, get: () => m._camera?.transform });
}
