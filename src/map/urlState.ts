/**
 * The URL hash holds the shareable state: `#map=zoom/lat/lng&layers=a,b,c`. MapLibre owns `map=`
 * (its `hash: 'map'` option) and keeps other parameters, so `layers=` can live beside it.
 */
export const MAP_HASH_PARAM = 'map';
const LAYERS_PARAM = 'layers';

function hashParams(): URLSearchParams {
  return new URLSearchParams(window.location.hash.replace(/^#/, ''));
}

/** The layer ids in the URL, or `null` when the URL does not say (use the defaults then). */
export function readLayersFromUrl(known: readonly string[]): string[] | null {
  const raw = hashParams().get(LAYERS_PARAM);
  if (raw === null) return null;
  return raw.split(',').filter((id) => known.includes(id));
}

export function writeLayersToUrl(ids: readonly string[]): void {
  const params = hashParams();
  params.set(LAYERS_PARAM, ids.join(','));
  // Same encoding MapLibre uses for its own parameter, so slashes and commas stay readable.
  const hash = decodeURIComponent(params.toString());
  // replaceState: toggling layers should not flood the back button, and fires no hashchange.
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}#${hash}`);
}
