import type { Map as MapLibreMap } from 'maplibre-gl';

/** What the e2e tests and the benchmark read from the page. */
export interface OnemapHooks {
  /** Rendered features per tile layer in the viewport (queryRenderedFeatures). */
  renderedCounts(): Record<string, { rendered: number; total: number; aggregated: boolean }>;
  /** Objects per deck.gl layer in the viewport (null until deck.gl has loaded). */
  deckCounts(): Record<string, number> | null;
  /** Objects of a deck.gl layer found by picking the whole viewport (proves they were drawn). */
  deckPickCount(id: string): number;
  /** True once deck.gl is loaded and its layers are in the map. */
  deckReady(): boolean;
  /** The 3D view's network, while it is on: what it loaded, a drawn reach's screen point, what a point picks. */
  network3d?(): {
    counts(): { reaches: number; manholes: number; truncated: boolean; loads: number };
    reachPoint(): { id: number; x: number; y: number } | null;
    pick(x: number, y: number): { kind: string } | null;
  } | null;
  /** The last exported selection as CSV text (the download's content). */
  lastExport?: { name: string; type: string; text: string };
}

declare global {
  interface Window {
    /** The live MapLibre map, for e2e tests and console debugging. */
    __map?: MapLibreMap;
    /** Map errors (failed tiles, bad style) so tests can assert there were none. */
    __mapErrors?: string[];
    __onemap?: OnemapHooks;
  }
}

const MAX_ERRORS = 100;

export function exposeMap(map: MapLibreMap | undefined): void {
  window.__map = map;
}

export function exposeHooks(hooks: OnemapHooks | undefined): void {
  window.__onemap = hooks;
}

export function recordMapError(message: string): void {
  const errors = (window.__mapErrors ??= []);
  if (errors.length < MAX_ERRORS) errors.push(message);
}

export function recordExport(name: string, type: string, text: string): void {
  if (window.__onemap) window.__onemap.lastExport = { name, type, text };
}
