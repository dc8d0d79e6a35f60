// The answer to "which grid am I in", on top of the map: grid code, community, street; or a plain
// message when the position is outside the district.
import { useI18n } from '../i18n/index.tsx';
import type { GridState } from './useGridAt.ts';

export function GridBadge({ grid, mine, online }: { grid: GridState; mine: boolean; online: boolean }) {
  const { t } = useI18n();
  if (grid.state === 'idle') return null;
  return (
    <section className={`fm-grid fm-card ${grid.state}`} data-testid="field-grid" data-state={grid.state} aria-live="polite">
      {grid.state === 'loading' && <span className="muted"><span className="spinner small" /> {t('fm.gridLoading')}</span>}
      {grid.state === 'inside' && (
        <>
          <div className="fm-grid-where">
            <span data-testid="field-grid-street">{grid.at.street?.name}</span>
            <span aria-hidden="true"> · </span>
            <span data-testid="field-grid-community">{grid.at.community?.name}</span>
          </div>
          <div className="fm-grid-code">
            <span className="muted">{t('fm.grid')}</span> <code data-testid="field-grid-code">{grid.at.grid?.code}</code>
            {mine && <span className="fm-mine" data-testid="field-grid-mine">{t('fm.myGrid')}</span>}
          </div>
        </>
      )}
      {grid.state === 'outside' && <span data-testid="field-grid-outside">{t('fm.outside')}</span>}
      {grid.state === 'error' && (online ? <span className="inline-error">{t('fm.gridFailed')}</span> : <span className="muted">{t('fm.gridOffline')}</span>)}
    </section>
  );
}
