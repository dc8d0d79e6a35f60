// Which source draws which tile layer. The layers the map shows by default share one composite source
// (/tiles/basemap,grids,…): one tile request per position instead of one per layer. Switching one of them
// off only hides its style layers, which costs no request (re-listing the composite's layers would load
// every tile of the view again); the other layers keep a source of their own, loaded only while shown.
// Tile URLs carry the data version (?v=, from the TileJSON) and are cached for good, so new data comes
// from reading the TileJSON again: after our own writes at once, otherwise when the map moves.
import type { Map as MapLibreMap, VectorTileSource } from 'maplibre-gl';
import { COMPOSITE_MAX_LAYERS } from '../../common/api/tiles.ts';
import { TILE_LAYERS, type TileLayerModule } from '../layers/catalog.ts';

export const COMPOSITE_SOURCE = 'composite';

/** The layers of the composite source, in draw order. */
export function compositeLayers(modules: readonly TileLayerModule[] = TILE_LAYERS): string[] {
  return modules.filter((m) => m.defaultVisible).map((m) => m.id).slice(0, COMPOSITE_MAX_LAYERS);
}

const COMPOSITE = compositeLayers();

/** The source that holds a tile layer's data. */
export function sourceOfLayer(id: string): string {
  return COMPOSITE.includes(id) ? COMPOSITE_SOURCE : id;
}

/** The tile layers whose data a source holds (a map error on a source concerns all of them). */
export function layersOfSource(source: string): string[] {
  return source === COMPOSITE_SOURCE ? [...COMPOSITE] : [source];
}

/** The tile layer a rendered feature belongs to: its source, or in the composite its vector layer (named as the module). */
export function tileLayerOf(f: { source: string; sourceLayer?: string }): string {
  return f.source === COMPOSITE_SOURCE && f.sourceLayer ? f.sourceLayer : f.source;
}

/** Reads the TileJSON of the sources holding these layers again: new versions, so their tiles load anew. */
export function reloadLayerTiles(map: MapLibreMap, layerIds: readonly string[]): void {
  // A map wired one source per layer (the wall) has the layer's own source.
  for (const id of new Set(layerIds.map((l) => (map.getSource(l) ? l : sourceOfLayer(l))))) {
    const source = map.getSource<VectorTileSource>(id);
    if (source?.url) source.setUrl(source.url);
  }
}

/** Seconds between two checks of the versions while the map moves. */
const CHECK_EVERY_MS = 30_000;

/**
 * Keeps the vector sources on the current data versions: after a move, at most every 30 s, each loaded
 * source's TileJSON is read (a small no-cache answer) and a source whose version changed loads anew.
 * Returns the function that stops it.
 */
export function followTileVersions(map: MapLibreMap, everyMs = CHECK_EVERY_MS): () => void {
  let last = Date.now();
  let busy = false;
  const check = async () => {
    if (busy || Date.now() - last < everyMs) return;
    busy = true;
    last = Date.now();
    try {
      const style = map.getStyle();
      const shown = new Set(style.layers.flatMap((l) => ('source' in l && l.layout?.visibility !== 'none' ? [l.source] : [])));
      for (const [id, spec] of Object.entries(style.sources)) {
        const source = map.getSource<VectorTileSource>(id);
        if (spec.type !== 'vector' || !shown.has(id) || !source?.url || !source.tiles?.length) continue;
        const res = await fetch(source.url, { cache: 'no-store' }).catch(() => null);
        const tj = res?.ok ? (await res.json() as { tiles?: string[] }) : null;
        if (tj?.tiles?.[0] && tj.tiles[0] !== source.tiles[0]) source.setUrl(source.url);
      }
    } finally {
      busy = false;
    }
  };
  const onMove = () => void check();
  map.on('moveend', onMove);
  return () => map.off('moveend', onMove);
}
