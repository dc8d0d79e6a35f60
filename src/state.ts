// The desktop map's state: what the layer tree shows and what is selected. It mirrors the URL hash
// (urlState.ts) so that a link reopens the same map.
import { ALL_ENTRIES, type LayerId } from './layers/catalog.ts';
import type { DensityMode, PipeColorMode } from './layers/types.ts';
import type { Selection, UrlState } from './map/urlState.ts';

export type MapUiState = UrlState;

export type MapUiAction =
  | { type: 'toggle'; id: LayerId; on: boolean }
  | { type: 'toggleMany'; ids: readonly LayerId[]; on: boolean }
  | { type: 'opacity'; id: LayerId; value: number }
  | { type: 'pipeColor'; mode: PipeColorMode }
  | { type: 'densityMode'; mode: DensityMode }
  | { type: 'select'; selection: Selection | null }
  | { type: 'view3d'; on: boolean }
  | { type: 'exaggeration'; value: number }
  | { type: 'replace'; state: MapUiState };

export function mapUiReducer(state: MapUiState, a: MapUiAction): MapUiState {
  switch (a.type) {
    case 'toggle':
    case 'toggleMany': {
      const ids = a.type === 'toggle' ? [a.id] : a.ids;
      const visible = new Set(state.visible);
      for (const id of ids) {
        if (a.on) visible.add(id);
        else visible.delete(id);
        // Switching on a child layer switches on the layer its data comes from.
        const parent = ALL_ENTRIES.find((e) => e.id === id)?.parent;
        if (a.on && parent) visible.add(parent);
      }
      return { ...state, visible };
    }
    case 'opacity':
      return { ...state, opacity: { ...state.opacity, [a.id]: Math.max(0, Math.min(1, a.value)) } };
    case 'pipeColor':
      return { ...state, pipeColor: a.mode };
    case 'densityMode':
      return { ...state, densityMode: a.mode };
    case 'select':
      if (state.selection?.layer === a.selection?.layer && state.selection?.id === a.selection?.id) return state;
      return { ...state, selection: a.selection };
    case 'view3d':
      return state.view3d === a.on ? state : { ...state, view3d: a.on };
    case 'exaggeration':
      return { ...state, exaggeration: a.value };
    case 'replace':
      return a.state;
  }
}
