// The hazard ranking: reaches by RI (repair) or MI (maintenance), filtered, a page at a time, from
// /api/drainage/reaches. The filters stay while the panel is open so a planner can work down a list.
import { useEffect, useState } from 'react';
import type { Geometry } from 'geojson';
import { api } from '../../api/endpoints.ts';
import { ApiError, isAbort } from '../../api/client.ts';
import type { ReachPage, ReachRow, ReachSort } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useMapHandle } from '../../map/MapContext.ts';
import { Icon } from '../Icon.tsx';
import { flyToBbox } from './flyTo.ts';
import { Pager } from './Pager.tsx';
import { RankingFilters, type ReachFilters } from './RankingFilters.tsx';
import { RankingTable } from './RankingTable.tsx';
import type { Areas } from './useAreas.ts';

const PAGE = 50;

type Load = { state: 'loading'; page: ReachPage | null } | { state: 'ready'; page: ReachPage } | { state: 'error'; message: string; missing: boolean };

interface Props {
  areas: Areas | null;
  selectedPipe: number | null;
  onSelect(layer: string, id: string | number, geometry?: Geometry | null): void;
}

export function RankingView({ areas, selectedPipe, onSelect }: Props) {
  const { t } = useI18n();
  const { map } = useMapHandle();
  const [sort, setSort] = useState<ReachSort>('ri');
  const [filters, setFilters] = useState<ReachFilters>({});
  const [offset, setOffset] = useState(0);
  const [load, setLoad] = useState<Load>({ state: 'loading', page: null });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    setLoad((l) => ({ state: 'loading', page: l.state === 'ready' ? l.page : l.state === 'loading' ? l.page : null }));
    api.reaches({ sort, ...filters, limit: PAGE, offset }, abort.signal)
      .then((page) => setLoad({ state: 'ready', page }))
      .catch((e: unknown) => {
        if (isAbort(e)) return;
        setLoad({ state: 'error', message: (e as Error).message, missing: e instanceof ApiError && e.notFound });
      });
    return () => abort.abort();
  }, [sort, JSON.stringify(filters), offset, attempt]);

  const changeFilters = (f: ReachFilters) => {
    setFilters(f);
    setOffset(0);
  };

  const openRow = (r: ReachRow) => {
    if (map) flyToBbox(map, r.bbox, 17);
    onSelect('pipes', r.pipe_id, null);
  };

  const page = load.state === 'error' ? null : load.page;
  return (
    <div className="analysis-body ranking-view" data-testid="ranking-view" data-state={load.state}>
      <div className="analysis-side">
        <RankingFilters value={filters} onChange={changeFilters} areas={areas} />
      </div>
      <div className="analysis-main">
        <div className="analysis-toolbar">
          <div className="segmented inline" role="radiogroup" aria-label={t('analysis.sortBy')} data-testid="ranking-sort">
            {(['ri', 'mi'] as const).map((s) => (
              <button key={s} type="button" role="radio" aria-checked={sort === s} className={sort === s ? 'on' : ''} data-testid={`sort-${s}`}
                onClick={() => {
                  setSort(s);
                  setOffset(0);
                }}>
                {t(s === 'ri' ? 'analysis.sortRi' : 'analysis.sortMi')}
              </button>
            ))}
          </div>
          <span className="muted toolbar-hint">{t(sort === 'ri' ? 'analysis.rankHintRi' : 'analysis.rankHintMi')}</span>
          <span className="spacer" />
          {load.state === 'loading' && <span className="spinner small" data-testid="ranking-loading" />}
          {page && <Pager offset={offset} limit={PAGE} total={page.total} onOffset={setOffset} />}
        </div>
        {load.state === 'error' && (
          <p className="inline-error" role="alert" data-testid="ranking-error">
            <Icon name="warning" /> {t(load.missing ? 'analysis.notAvailable' : 'analysis.loadFailed')}{' '}
            <span className="muted">{load.message}</span>{' '}
            <button type="button" className="link-button" onClick={() => setAttempt((n) => n + 1)}>{t('common.retry')}</button>
          </p>
        )}
        {page && (
          <div className="result-table-wrap">
            <RankingTable rows={page.items} sort={sort} offset={offset} selectedId={selectedPipe} onRow={openRow} />
            {page.items.length === 0 && <p className="muted table-note" data-testid="ranking-empty">{t('analysis.noRows')}</p>}
          </div>
        )}
      </div>
    </div>
  );
}
