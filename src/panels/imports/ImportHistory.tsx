// Imports made earlier (GET /api/imports): fly to a network, or remove it with a second click to confirm; layer
// imports (registries updated in place) are listed with the rows they wrote.
import { useEffect, useState } from 'react';
import { api } from '../../api/endpoints.ts';
import { isAbort } from '../../api/client.ts';
import type { ImportItem } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useMapHandle } from '../../map/MapContext.ts';
import { reloadLayerTiles } from '../../map/tileSources.ts';
import { Icon } from '../Icon.tsx';

type Load = { state: 'loading' } | { state: 'ready'; items: ImportItem[] } | { state: 'error' };

export function ImportHistory({ version, onFly }: { version: number; onFly(bbox: [number, number, number, number] | null): void }) {
  const { t, tr, num, date } = useI18n();
  const { map } = useMapHandle();
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [confirm, setConfirm] = useState<string | number | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    api.imports(abort.signal).then((r) => setLoad({ state: 'ready', items: r.items })).catch((e: unknown) => !isAbort(e) && setLoad({ state: 'error' }));
    return () => abort.abort();
  }, [version, reload]);

  const remove = async (id: string | number) => {
    setConfirm(null);
    try {
      await api.deleteImport(id);
      if (map) reloadLayerTiles(map, ['pipes', 'manholes']);
    } finally {
      setReload((n) => n + 1);
    }
  };

  if (load.state !== 'ready' || load.items.length === 0) return null;
  return (
    <details className="details-section collapsible import-history" data-testid="import-history">
      <summary>{t('import.history')} ({num(load.items.length)})</summary>
      <ul className="ref-list">
        {load.items.map((it) => {
          // A network's report says what it wrote and where; a layer import's, how many rows it inserted or updated.
          const net = it.report && 'written' in it.report ? it.report : null;
          const rows = it.report && 'counts' in it.report ? it.report.counts.insert + it.report.counts.update : null;
          return (
          <li key={it.id} className="import-item" data-testid="import-item">
            <span className="import-name" title={it.filename}>{it.filename}</span>
            <span className="muted">
              {[it.layer && it.layer !== 'pipes' && tr(`import.layer.${it.layer}`, it.layer), tr(`import.format.${it.format}`, it.format),
                net && `${num(net.written.pipes)} ${t('import.pipesUnit')}`, rows !== null && `${num(rows)} ${t('import.rowsUnit')}`, date(it.created_at)].filter(Boolean).join(' · ')}
            </span>
            <span className="spacer" />
            <button type="button" className="icon-button" title={t('import.flyTo')} aria-label={t('import.flyTo')} disabled={!net?.bbox}
              onClick={() => onFly(net?.bbox ?? null)}>
              <Icon name="target" />
            </button>
            {!net ? null : confirm === it.id ? (
              <button type="button" className="button small danger" onClick={() => void remove(it.id)} data-testid="import-delete-confirm">{t('import.confirmDelete')}</button>
            ) : (
              <button type="button" className="icon-button" title={t('import.delete')} aria-label={t('import.delete')} onClick={() => setConfirm(it.id)} data-testid="import-delete">
                <Icon name="trash" />
              </button>
            )}
          </li>
          );
        })}
      </ul>
    </details>
  );
}
