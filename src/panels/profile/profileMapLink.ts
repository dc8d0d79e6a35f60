// The profile and the map, linked both ways: the path's reaches drawn over the pipes and the hovered one
// picked out (from the chart), and a reach hovered on the map reported to the chart.
import { useEffect, useRef } from 'react';
import type { FilterSpecification, LayerSpecification, Map as MapLibreMap } from 'maplibre-gl';
import { sourceOfLayer } from '../../map/tileSources.ts';
import { keepLayers } from './mapOverlay.ts';
import { PROFILE_COLOURS } from './ProfileChart.tsx';

// The pipes' tiles come in the map's composite source (src/map/tileSources.ts).
const PIPES_SOURCE = sourceOfLayer('pipes');
const PIPES_LAYER = 'pipes-line';
export const PROFILE_PATH_LAYER = 'profile-path';
export const PROFILE_HOVER_LAYER = 'profile-hover';

const byIds = (ids: readonly number[]): FilterSpecification => ['in', ['id'], ['literal', ids]] as FilterSpecification;

function layers(path: readonly number[], hover: number | null): LayerSpecification[] {
  return [
    { id: PROFILE_PATH_LAYER, type: 'line', source: PIPES_SOURCE, 'source-layer': 'pipes', filter: byIds(path),
      layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': PROFILE_COLOURS.invert, 'line-width': 6, 'line-opacity': 0.55 } },
    { id: PROFILE_HOVER_LAYER, type: 'line', source: PIPES_SOURCE, 'source-layer': 'pipes', filter: byIds(hover === null ? [] : [hover]),
      layout: { 'line-cap': 'round' }, paint: { 'line-color': PROFILE_COLOURS.highlight, 'line-width': 10, 'line-opacity': 0.9 } },
  ];
}

export function useProfileMapLink(map: MapLibreMap | null, path: readonly number[] | null, hover: number | null, onMapHover: (id: number | null) => void): void {
  const state = useRef({ path, hover });
  state.current = { path, hover };
  const onHover = useRef(onMapHover);
  onHover.current = onMapHover;

  useEffect(() => {
    if (!map || !path) return;
    const kept = keepLayers(map, () => layers(state.current.path ?? [], state.current.hover));
    const inPath = new Set(path);
    const move = (e: { features?: { id?: string | number }[] }) => {
      const id = Number(e.features?.[0]?.id);
      onHover.current(inPath.has(id) ? id : null);
    };
    const leave = () => onHover.current(null);
    map.on('mousemove', PIPES_LAYER, move);
    map.on('mouseleave', PIPES_LAYER, leave);
    return () => {
      map.off('mousemove', PIPES_LAYER, move);
      map.off('mouseleave', PIPES_LAYER, leave);
      kept.remove();
    };
  }, [map, path]);

  useEffect(() => {
    if (map?.getLayer(PROFILE_HOVER_LAYER)) map.setFilter(PROFILE_HOVER_LAYER, byIds(hover === null ? [] : [hover]));
  }, [map, hover]);
}
