// 数据 (admins): each layer of the district with its rows, how many are synthetic, where the rest came from
// (the last imports: file, date, who), when it last changed, downloads in four formats, and removing an
// import (the rows it inserted go, those it updated stay: the answer says how many of each).
import { Fragment, useEffect, useState } from 'react';
import type { LayerDetails, LayerDetailsList } from '../../../common/api/data.ts';
import { DOWNLOAD_FORMATS } from '../../../common/api/data.ts';
import type { ImportDeleted } from '../../../common/api/imports.ts';
import { deleteJson, getJson } from '../../api/client.ts';
import { refreshDataLayers } from '../../api/dataLayers.ts';
import { useI18n } from '../../i18n/index.tsx';

export function DataView() {
  const { t, num, date } = useI18n();
  const [layers, setLayers] = useState<LayerDetails[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    getJson<LayerDetailsList>('/api/data/layers/details', ctrl.signal).then((r) => setLayers(r.layers), (e: unknown) => !ctrl.signal.aborted && setError((e as Error).message));
    return () => ctrl.abort();
  }, [version]);

  const remove = async (id: number, filename: string) => {
    if (!window.confirm(t('data.confirmRemove', { file: filename }))) return;
    setError(null);
    try {
      const r = await deleteJson<ImportDeleted>(`/api/imports/${id}`);
      setNotice(r.removed === undefined ? t('data.removedNetwork', { file: filename })
        : t('data.removed', { file: filename, removed: num(r.removed), kept: num(r.kept ?? 0), lost: num(r.not_restored ?? 0) }));
      refreshDataLayers();
      setVersion((v) => v + 1);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="analysis-body admin-data" data-testid="admin-data">
      <div className="analysis-main">
        <p className="muted form-hint">{t('data.pageHint')}</p>
        {error && <p className="inline-error" role="alert" data-testid="data-error">{error}</p>}
        {notice && <p className="import-done" role="status" data-testid="data-notice">{notice}</p>}
        {!layers && !error && <div className="loading-panel"><span className="spinner" /></div>}
        {layers && (
          <div className="result-table-wrap">
            <table className="result-table data-table" data-testid="data-table">
              <thead>
                <tr><th>{t('data.layer')}</th><th className="num">{t('data.rows')}</th><th>{t('data.source')}</th><th>{t('data.lastChange')}</th><th>{t('data.download')}</th></tr>
              </thead>
              <tbody>
                {layers.map((l) => (
                  <Fragment key={l.id}>
                    <tr data-testid={`data-row-${l.id}`} data-rows={l.rows} className={l.loaded ? '' : 'empty'}>
                      <td>{t(`data.layer.${l.id}`)}</td>
                      <td className="num">{num(l.rows)}</td>
                      <td>
                        {!l.loaded ? <span className="muted">{t('data.empty')}</span> : (
                          <>
                            {l.synthetic_rows > 0 && <span className="data-synthetic">{t('data.syntheticRows', { n: num(l.synthetic_rows) })}</span>}
                            {l.rows - l.synthetic_rows > 0 && <span>{t('data.ownRows', { n: num(l.rows - l.synthetic_rows) })}</span>}
                          </>
                        )}
                      </td>
                      <td className="num">{l.last_change ? date(l.last_change) : '—'}</td>
                      <td className="data-downloads">
                        {l.loaded && DOWNLOAD_FORMATS.map((f) => (
                          <a key={f} className="link-button" href={`/api/data/layers/${l.id}/download?format=${f}`} download data-testid={`download-${l.id}-${f}`}>{t(`data.format.${f}`)}</a>
                        ))}
                      </td>
                    </tr>
                    {l.imports.map((i) => (
                      <tr key={`i${i.id}`} className="data-import" data-testid={`data-import-${i.id}`}>
                        <td />
                        <td className="num muted">{t('data.importCounts', { inserted: num(i.inserted), updated: num(i.updated) })}</td>
                        <td colSpan={2}>{t('data.importLine', { file: i.filename, at: date(i.created_at), by: i.by ?? '—' })}</td>
                        <td><button type="button" className="link-button" onClick={() => remove(i.id, i.filename)} data-testid={`data-remove-${i.id}`}>{t('data.remove')}</button></td>
                      </tr>
                    ))}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}
