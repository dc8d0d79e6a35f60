// The unit grids of a community, for the grid filter (a community has a few dozen).
import { useEffect, useState } from 'react';
import { casesApi } from '../../api/cases.ts';

export function useGridsOf(community: string | undefined): string[] {
  const [grids, setGrids] = useState<string[]>([]);
  useEffect(() => {
    setGrids([]);
    if (!community) return;
    const ctrl = new AbortController();
    casesApi.gridsOf(community, ctrl.signal).then(
      (fc) => setGrids(fc.features.map((f) => String((f.properties as Record<string, unknown> | null)?.code ?? f.id)).sort()),
      () => { /* the filter then offers no grids; street and community still work */ },
    );
    return () => ctrl.abort();
  }, [community]);
  return grids;
}
