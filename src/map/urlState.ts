/**
 * The URL hash holds the shareable state:
 *   #map=zoom/lat/lng[/bearing/pitch]&layers=a,b,c&op=pipes:60,cases:40&pipes=sgrade&dens=heat&sel=pipes:123&view=3d&ex=5
 * MapLibre owns `map=` (its `hash: 'map'` option) and keeps the other parameters, so ours live beside it.
 * Theme and language are the user's preferences (localStorage), not part of a link.
 */
import { ALL_ENTRIES, ALL_LAYER_IDS, type LayerId } from '../layers/catalog.ts';
import { DEFAULT_EXAGGERATION, EXAGGERATIONS } from './three/geometry.ts';
import { DENSITY_MODES, PIPE_COLOR_MODES, type DensityMode, type PipeColorMode } from '../layers/types.ts';

export const MAP_HASH_PARAM = 'map';

export interface Selection {
  layer: string;
  id: string;
}

export interface UrlState {
  visible: Set<LayerId>;
  opacity: Record<string, number>;
  pipeColor: PipeColorMode;
  densityMode: DensityMode;
  selection: Selection | null;
  /** The network drawn at its depth (the 3D view), and its vertical exaggeration. */
  view3d: boolean;
  exaggeration: number;
}

function hashParams(): URLSearchParams {
  return new URLSearchParams(window.location.hash.replace(/^#/, ''));
}

export function defaultUrlState(): UrlState {
  return {
    visible: new Set(ALL_ENTRIES.filter((e) => e.defaultVisible).map((e) => e.id)),
    opacity: {},
    pipeColor: 'usage',
    densityMode: 'hex',
    selection: null,
    view3d: false,
    exaggeration: DEFAULT_EXAGGERATION,
  };
}

/** Parses the hash; what is missing or unknown falls back to the defaults. */
export function parseUrlState(hash: string): UrlState {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const s = defaultUrlState();
  const layers = p.get('layers');
  if (layers !== null) {
    s.visible = new Set(layers.split(',').filter((id): id is LayerId => (ALL_LAYER_IDS as readonly string[]).includes(id)));
  }
  for (const part of (p.get('op') ?? '').split(',')) {
    const [id, pct] = part.split(':');
    const v = Number(pct);
    if ((ALL_LAYER_IDS as readonly string[]).includes(id) && Number.isFinite(v)) s.opacity[id] = Math.max(0, Math.min(100, v)) / 100;
  }
  const pipes = p.get('pipes');
  if (pipes && (PIPE_COLOR_MODES as readonly string[]).includes(pipes)) s.pipeColor = pipes as PipeColorMode;
  const dens = p.get('dens');
  if (dens && (DENSITY_MODES as readonly string[]).includes(dens)) s.densityMode = dens as DensityMode;
  const sel = /^([a-z_]+):(.{1,40})$/.exec(p.get('sel') ?? '');
  if (sel) s.selection = { layer: sel[1], id: sel[2] };
  s.view3d = p.get('view') === '3d';
  const ex = Number(p.get('ex'));
  if ((EXAGGERATIONS as readonly number[]).includes(ex)) s.exaggeration = ex;
  return s;
}

export function readUrlState(): UrlState {
  return parseUrlState(window.location.hash);
}

/** Our parameters merged into the current hash (keeping `map=`), in a stable order. */
export function formatUrlState(s: UrlState, currentHash: string): string {
  const p = new URLSearchParams(currentHash.replace(/^#/, ''));
  // Catalogue order, so the same set of layers always gives the same URL.
  p.set('layers', ALL_LAYER_IDS.filter((id) => s.visible.has(id)).join(','));
  const op = ALL_LAYER_IDS.filter((id) => (s.opacity[id] ?? 1) < 1).map((id) => `${id}:${Math.round((s.opacity[id] ?? 1) * 100)}`);
  if (op.length) p.set('op', op.join(','));
  else p.delete('op');
  if (s.pipeColor !== 'usage') p.set('pipes', s.pipeColor);
  else p.delete('pipes');
  if (s.densityMode !== 'hex') p.set('dens', s.densityMode);
  else p.delete('dens');
  if (s.selection) p.set('sel', `${s.selection.layer}:${s.selection.id}`);
  else p.delete('sel');
  if (s.view3d) p.set('view', '3d');
  else p.delete('view');
  if (s.view3d && s.exaggeration !== DEFAULT_EXAGGERATION) p.set('ex', String(s.exaggeration));
  else p.delete('ex');
  // Same encoding MapLibre uses for its own parameter, so slashes, commas and colons stay readable.
  return decodeURIComponent(p.toString());
}

export function writeUrlState(s: UrlState): void {
  const hash = formatUrlState(s, window.location.hash);
  if (`#${hash}` === window.location.hash) return;
  // replaceState: toggling layers should not flood the back button, and fires no hashchange.
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}#${hash}`);
}

export { hashParams };
