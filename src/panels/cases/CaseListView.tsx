// 案件列表: filters on the left, the list in the middle, the open case on the right.
import { useCallback, useEffect, useState } from 'react';
import type { Geometry } from 'geojson';
import type { Catalogue, CaseRow, SessionUser } from '../../api/caseTypes.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useMapHandle } from '../../map/MapContext.ts';
import { flyToBbox } from '../analysis/flyTo.ts';
import type { Areas } from '../analysis/useAreas.ts';
import { CaseDetailView } from './CaseDetailView.tsx';
import { CaseFilters, type CaseFilterValue } from './CaseFilters.tsx';
import { CaseTable } from './CaseTable.tsx';
import { useCaseList } from './useCaseList.ts';

interface Props {
  user: SessionUser;
  catalogue: Catalogue | null;
  areas: Areas | null;
  /** The map's selection when it is a case: the list opens it beside the rows. */
  selected: number | null;
  onSelect(layer: string, id: string | number, geometry?: Geometry | null): void;
  onDeselect(): void;
  /** The list is on screen (its detail column stands in for the map's details panel). */
  onShown(shown: boolean): void;
}

export function CaseListView({ user, catalogue, areas, selected, onSelect, onDeselect, onShown }: Props) {
  const { t } = useI18n();
  const { map } = useMapHandle();
  // A dispatcher opens the panel to work: their to-do list first. Others browse everything.
  const [filters, setFilters] = useState<CaseFilterValue>(() => (user.role === 'dispatcher' || user.role === 'field' ? { status: 'mine' } : {}));
  const list = useCaseList(filters, catalogue, user.role);
  const open = selected;
  useEffect(() => {
    onShown(true);
    return () => onShown(false);
  }, [onShown]);

  // A case opened here is the map's selection (ringed there, its details in the column beside the rows,
  // not a second panel); opening it or "show on the map" brings the map to it.
  const flyTo = useCallback((c: CaseRow) => {
    if (map) flyToBbox(map, [c.lon, c.lat, c.lon, c.lat], 17);
  }, [map]);

  const openCase = (c: CaseRow) => {
    onSelect('cases', c.id, { type: 'Point', coordinates: [c.lon, c.lat] });
    flyTo(c);
  };

  return (
    <div className={`analysis-body case-list-view${open !== null ? ' with-detail' : ''}`} data-testid="case-list-view" data-state={list.state.state}>
      <div className="analysis-side">
        <CaseFilters value={filters} onChange={(f) => { setFilters(f); }} areas={areas} />
      </div>
      <div className="analysis-main">
        <div className="analysis-toolbar">
          <span className="muted" data-testid="case-count">{t('cases.shown', { n: list.items.length })}{list.hasMore ? '+' : ''}</span>
          {list.state.state === 'error' && <span className="inline-error" role="alert">{list.state.message}</span>}
        </div>
        <CaseTable items={list.items} catalogue={catalogue} areas={areas} selected={open} hasMore={list.hasMore} loading={list.state.state === 'loading'}
          onOpen={openCase} onMore={list.more} />
      </div>
      {open !== null && (
        <div className="case-detail-col">
          <CaseDetailView key={open} id={open} catalogue={catalogue} onChanged={list.replace} onLocate={flyTo} onClose={onDeselect} />
        </div>
      )}
    </div>
  );
}
