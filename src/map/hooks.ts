import { useEffect, useState } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';

/** The map's zoom, updated at the end of each move (not every frame). */
export function useMapZoom(map: MapLibreMap | null): number | null {
  const [zoom, setZoom] = useState<number | null>(map?.getZoom() ?? null);
  useEffect(() => {
    if (!map) return;
    const on = () => setZoom(map.getZoom());
    on();
    map.on('zoomend', on);
    return () => {
      map.off('zoomend', on);
    };
  }, [map]);
  return zoom;
}
