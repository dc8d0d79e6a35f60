import type { Map as MapLibreMap } from 'maplibre-gl';

declare global {
  interface Window {
    /** The live MapLibre map, for e2e tests and console debugging. */
    __map?: MapLibreMap;
    /** Map errors (failed tiles, bad style) so tests can assert there were none. */
    __mapErrors?: string[];
  }
}

const MAX_ERRORS = 100;

export function exposeMap(map: MapLibreMap | undefined): void {
  window.__map = map;
}

export function recordMapError(message: string): void {
  const errors = (window.__mapErrors ??= []);
  if (errors.length < MAX_ERRORS) errors.push(message);
}
