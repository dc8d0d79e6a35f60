// Exact counts in view for the clustered layers. A cluster on the view's edge stands for features on both
// sides of it, so when clusters are drawn (or the case density is on, whose figure must be the case
// layer's) the layer tree shows the server's count of what lies inside the view instead.
import { useEffect, useState } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { COUNT_LAYERS } from '../../common/clusters.ts';
import { api } from '../api/endpoints.ts';
import type { LayerCount } from './counts.ts';

type CountLayer = (typeof COUNT_LAYERS)[number];
export type ViewCounts = Partial<Record<CountLayer, number>>;

export function useViewCounts(map: MapLibreMap | null, counts: Partial<Record<string, LayerCount>>, densityOn: boolean): ViewCounts {
  const [exact, setExact] = useState<ViewCounts>({});
  useEffect(() => {
    const layers = COUNT_LAYERS.filter((id) => counts[id]?.aggregated || (id === 'cases' && densityOn));
    if (!map || !layers.length) {
      setExact({});
      return;
    }
    const b = map.getBounds();
    const bbox = [Math.max(-180, b.getWest()), Math.max(-85, b.getSouth()), Math.min(180, b.getEast()), Math.min(85, b.getNorth())];
    const abort = new AbortController();
    api.counts(bbox, layers, abort.signal)
      .then((r) => setExact(r.counts))
      .catch(() => {
        if (!abort.signal.aborted) setExact({}); // the tree falls back to the drawn clusters' counts
      });
    return () => abort.abort();
  }, [map, counts, densityOn]);
  return exact;
}
