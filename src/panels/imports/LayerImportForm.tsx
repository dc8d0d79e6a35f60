// A registry layer's file (grids, cameras, stations…) into POST /api/imports?layer=…: a dry run first, which
// says per row what would happen, then the import itself; the answer's counts, or why nothing was written.
import { useState, type FormEvent } from 'react';
import type { LayerName } from '../../../server/importers/layers/names.ts';
import type { LayerImportReport } from '../../../common/api/imports.ts';
import { ApiError, uploadFile } from '../../api/client.ts';
import { refreshDataLayers } from '../../api/dataLayers.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Icon } from '../Icon.tsx';
import { crsParam, validEpsg, type CrsMode } from './importOptions.ts';

const ACCEPT_LAYER = '.zip,.gpkg,.geojson,.json,.kml,.csv,.xlsx';

type State = { s: 'idle' } | { s: 'busy' } | { s: 'report'; report: LayerImportReport } | { s: 'failed'; message: string };

export function LayerImportForm({ layer, allowed }: { layer: LayerName; allowed: boolean }) {
  const { t, num } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [crsMode, setCrsMode] = useState<CrsMode>('auto');
  const [epsg, setEpsg] = useState('');
  const [state, setState] = useState<State>({ s: 'idle' });
  const ready = allowed && !!file && state.s !== 'busy' && (crsMode !== 'epsg' || validEpsg(epsg));

  const send = async (dryRun: boolean, e?: FormEvent) => {
    e?.preventDefault();
    if (!file || !ready) return;
    setState({ s: 'busy' });
    const params = new URLSearchParams({ layer, filename: file.name, dry_run: String(dryRun) });
    const crs = crsParam(crsMode, epsg);
    if (crs) params.set('crs', crs);
    try {
      const report = await uploadFile<LayerImportReport>(`/api/imports?${params}`, file, () => {});
      setState({ s: 'report', report });
      if (report.committed) refreshDataLayers();
    } catch (err) {
      setState({ s: 'failed', message: err instanceof ApiError ? err.message : (err as Error).message });
    }
  };

  const r = state.s === 'report' ? state.report : null;
  return (
    <form className="import-form" onSubmit={(e) => send(false, e)} data-testid="layer-import-form">
      <div className="filter-field">
        <span>{t('import.file')}</span>
        <div className="file-pick">
          <label className="button">
            <Icon name="upload" /> {t('import.chooseFile')}
            <input type="file" accept={ACCEPT_LAYER} data-testid="layer-import-file" onChange={(e) => {
              setFile(e.currentTarget.files?.[0] ?? null);
              setState({ s: 'idle' });
            }} />
          </label>
          <span className="file-name">{file ? `${file.name} · ${num(file.size / 1024, 0)} KB` : t('import.noFile')}</span>
        </div>
      </div>
      <p className="muted form-hint">{t('import.layerFileHint')}</p>
      <fieldset className="filter-field crs-choice">
        <legend>{t('import.crs')}</legend>
        {(['auto', 'epsg', 'gcj02'] as const).map((m) => (
          <label key={m} className="radio">
            <input type="radio" name="layer-crs" value={m} checked={crsMode === m} onChange={() => setCrsMode(m)} />
            {t(`import.crs.${m}`)}
            {m === 'epsg' && (
              <input type="text" inputMode="numeric" className="epsg-input" placeholder="4547" value={epsg} disabled={crsMode !== 'epsg'}
                aria-label={t('import.epsgCode')} onChange={(e) => setEpsg(e.currentTarget.value)} />
            )}
          </label>
        ))}
      </fieldset>
      {r && (
        <p className={r.committed ? 'import-done' : 'muted'} role="status" data-testid="layer-import-result">
          {t(r.committed ? 'import.layerDone' : 'import.layerDry', {
            read: num(r.counts.read), insert: num(r.counts.insert), update: num(r.counts.update), unchanged: num(r.counts.unchanged), rejected: num(r.counts.rejected),
          })}
        </p>
      )}
      {state.s === 'failed' && <p className="inline-error" role="alert" data-testid="layer-import-error">{state.message}</p>}
      <div className="form-actions">
        <button type="button" className="button" disabled={!ready} onClick={() => send(true)} data-testid="layer-import-dry">{t('import.dryRun')}</button>
        <button type="submit" className="button primary" disabled={!ready} data-testid="layer-import-start"><Icon name="upload" /> {t('import.start')}</button>
      </div>
    </form>
  );
}
