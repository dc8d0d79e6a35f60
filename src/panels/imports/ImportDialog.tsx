// 导入管网: choose a survey file, say its CRS and the snapping tolerance, upload it, follow the import
// job until it is done, then read its validation report and fly to the new network. Earlier imports are
// listed below the form, to fly to or remove. Importing needs a planner's account: the dialog asks to
// log in when nobody is.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../../api/endpoints.ts';
import { ApiError, isAbort } from '../../api/client.ts';
import type { Account, ImportFormat, ImportJob, ImportReport } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useMapHandle } from '../../map/MapContext.ts';
import { flyToBbox } from '../analysis/flyTo.ts';
import { LoginForm } from '../auth/LoginForm.tsx';
import { Icon } from '../Icon.tsx';
import { ImportHistory } from './ImportHistory.tsx';
import { ImportReportView } from './ImportReportView.tsx';
import { LayerImportForm } from './LayerImportForm.tsx';
import { refreshDataLayers } from '../../api/dataLayers.ts';
import type { ImportLayer } from '../../../server/importers/layers/names.ts';
import { ACCEPT, crsParam, formatOf, IMPORT_FORMATS, validEpsg, type CrsMode } from './importOptions.ts';

const POLL_MS = 500;
const MAY_IMPORT = new Set<Account['role']>(['planner', 'admin']);

type Step =
  | { step: 'form' }
  | { step: 'uploading'; fraction: number }
  | { step: 'running'; job: ImportJob | null }
  | { step: 'done'; report: ImportReport; id: string | number }
  | { step: 'failed'; message: string };

interface Props {
  /** A registry layer to import into (the layer tree's "not imported" hint); the network without one. */
  layer?: ImportLayer;
  onClose(): void;
  /** Make sure the pipe and manhole layers are on, so the imported network shows. */
  onShowNetwork(): void;
}

export default function ImportDialog({ layer = 'pipes', onClose, onShowNetwork }: Props) {
  const { t, tr, num } = useI18n();
  const { map } = useMapHandle();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<ImportFormat | ''>('');
  const [crsMode, setCrsMode] = useState<CrsMode>('auto');
  const [epsg, setEpsg] = useState('');
  const [tolerance, setTolerance] = useState('0.5');
  const [step, setStep] = useState<Step>({ step: 'form' });
  const [historyVersion, setHistoryVersion] = useState(0);
  /** undefined while asking the server, null when nobody is logged in. */
  const [account, setAccount] = useState<Account | null | undefined>(undefined);
  const abort = useRef<AbortController | null>(null);
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    api.me(ctrl.signal).then((r) => setAccount(r.user)).catch((e: unknown) => !isAbort(e) && setAccount(null));
    return () => ctrl.abort();
  }, []);

  useEffect(() => {
    dialog.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      abort.current?.abort();
    };
  }, []);

  const tol = Number(tolerance);
  const tolOk = tolerance.trim() !== '' && Number.isFinite(tol) && tol >= 0 && tol <= 50;
  const allowed = !!account && MAY_IMPORT.has(account.role);
  const canStart = allowed && !!file && !!format && tolOk && (crsMode !== 'epsg' || validEpsg(epsg));

  const chooseFile = (f: File | null) => {
    setFile(f);
    setFormat(f ? formatOf(f.name) ?? '' : '');
  };

  const start = async (e: FormEvent) => {
    e.preventDefault();
    if (!file || !format || !canStart) return;
    const ctrl = new AbortController();
    abort.current = ctrl;
    setStep({ step: 'uploading', fraction: 0 });
    try {
      const accepted = await api.startImport(
        file,
        { filename: file.name, format, crs: crsParam(crsMode, epsg), tolerance_m: tol },
        (fraction) => setStep({ step: 'uploading', fraction }),
        ctrl.signal,
      );
      setStep({ step: 'running', job: null });
      for (;;) {
        const job = await api.importJob(accepted.status, ctrl.signal);
        if (job.state === 'done' && job.import) {
          setStep({ step: 'done', report: job.import.report, id: job.import.id });
          setHistoryVersion((v) => v + 1);
          refreshDataLayers();
          // New reaches are in the tiles now: fetch the loaded ones again.
          for (const source of ['pipes', 'manholes']) if (map?.getSource(source)) map.refreshTiles(source);
          return;
        }
        if (job.state === 'failed' || job.state === 'done') {
          setStep({ step: 'failed', message: job.error ?? job.stage });
          return;
        }
        setStep({ step: 'running', job });
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    } catch (err) {
      if (isAbort(err)) return;
      if (err instanceof ApiError && err.status === 401) {
        // The session ended meanwhile: log in again, the form keeps what was chosen.
        setAccount(null);
        setStep({ step: 'form' });
        return;
      }
      setStep({ step: 'failed', message: (err as Error).message });
    }
  };

  const flyTo = (bbox: [number, number, number, number] | null) => {
    if (!map || !bbox) return;
    onShowNetwork();
    flyToBbox(map, bbox, 17);
    onClose();
  };

  const busy = step.step === 'uploading' || step.step === 'running';
  const progress = step.step === 'uploading' ? step.fraction : step.step === 'running' ? step.job?.progress ?? 0 : 1;

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !busy && onClose()}>
      <div className="panel modal import-dialog" role="dialog" aria-modal="true" aria-labelledby="import-title" tabIndex={-1} ref={dialog} data-testid="import-dialog"
        data-step={step.step}>
        <header className="panel-header">
          <h2 id="import-title"><Icon name="upload" /> {layer === 'pipes' ? t('import.title') : t('import.titleLayer', { layer: t(`import.layer.${layer}`) })}</h2>
          <button type="button" className="icon-button" onClick={onClose} title={t('common.close')} aria-label={t('common.close')} data-testid="import-close">
            <Icon name="close" />
          </button>
        </header>
        <div className="panel-body">
          {step.step === 'form' && account === null && <LoginForm hint={t('import.loginHint')} onLoggedIn={setAccount} />}
          {step.step === 'form' && account && !allowed && (
            <p className="inline-error" role="alert" data-testid="import-forbidden">{t('import.wrongRole', { role: tr(`role.${account.role}`, account.role) })}</p>
          )}
          {step.step === 'form' && account && allowed && (
            <p className="muted account-line" data-testid="import-account">{t('import.as', { name: account.display_name || account.username })}</p>
          )}
          {layer !== 'pipes' && account && <LayerImportForm layer={layer} allowed={allowed} />}
          {layer === 'pipes' && (step.step === 'form' || busy) && (
            <form className="import-form" onSubmit={start}>
              <div className="filter-field">
                <span>{t('import.file')}</span>
                {/* The browser's own file button speaks the browser's language; this one speaks the app's. */}
                <div className="file-pick">
                  <label className={`button${busy ? ' disabled' : ''}`}>
                    <Icon name="upload" /> {t('import.chooseFile')}
                    <input type="file" accept={ACCEPT} disabled={busy} data-testid="import-file" onChange={(e) => chooseFile(e.currentTarget.files?.[0] ?? null)} />
                  </label>
                  <span className="file-name" data-testid="import-file-name" title={file?.name}>
                    {file ? `${file.name} · ${num(file.size / 1024, 0)} KB` : t('import.noFile')}
                  </span>
                </div>
              </div>
              <p className="muted form-hint">{t('import.fileHint')}</p>
              <label className="filter-field">
                <span>{t('import.format')}</span>
                <select value={format} disabled={busy} data-testid="import-format" onChange={(e) => setFormat(e.currentTarget.value as ImportFormat | '')}>
                  <option value="" disabled>{t('import.formatChoose')}</option>
                  {IMPORT_FORMATS.map((f) => <option key={f} value={f}>{t(`import.format.${f}`)}</option>)}
                </select>
              </label>
              <fieldset className="filter-field crs-choice" disabled={busy}>
                <legend>{t('import.crs')}</legend>
                {(['auto', 'epsg', 'gcj02'] as const).map((m) => (
                  <label key={m} className="radio">
                    <input type="radio" name="crs" value={m} checked={crsMode === m} onChange={() => setCrsMode(m)} data-testid={`import-crs-${m}`} />
                    {t(`import.crs.${m}`)}
                    {m === 'epsg' && (
                      <input type="text" inputMode="numeric" className="epsg-input" placeholder="4547" value={epsg} disabled={crsMode !== 'epsg'}
                        aria-label={t('import.epsgCode')} aria-invalid={crsMode === 'epsg' && epsg !== '' && !validEpsg(epsg)} data-testid="import-epsg"
                        onChange={(e) => setEpsg(e.currentTarget.value)} />
                    )}
                  </label>
                ))}
              </fieldset>
              <label className="filter-field tolerance">
                <span>{t('import.tolerance')}</span>
                <span className="with-unit">
                  <input type="number" min={0} max={50} step={0.1} value={tolerance} disabled={busy} data-testid="import-tolerance"
                    aria-invalid={!tolOk} onChange={(e) => setTolerance(e.currentTarget.value)} />
                  <span className="unit">m</span>
                </span>
              </label>
              <p className="muted form-hint">{t('import.toleranceHint')}</p>
              {busy ? (
                <div className="import-progress" data-testid="import-progress" role="status">
                  <progress max={1} value={progress} />
                  <span>
                    {step.step === 'uploading'
                      ? t('import.uploading', { pct: num(progress * 100, 0) })
                      : `${tr(`import.stage.${step.job?.stage ?? 'queued'}`, step.job?.stage ?? t('import.queued'))} · ${num(progress * 100, 0)}%`}
                  </span>
                </div>
              ) : (
                <div className="form-actions">
                  <button type="submit" className="button primary" disabled={!canStart} data-testid="import-start">
                    <Icon name="upload" /> {t('import.start')}
                  </button>
                </div>
              )}
            </form>
          )}
          {step.step === 'failed' && (
            <div className="details-error" role="alert" data-testid="import-error">
              <p><Icon name="warning" /> {t('import.failed')}</p>
              <p className="muted">{step.message}</p>
              <button type="button" className="button" onClick={() => setStep({ step: 'form' })}>{t('import.again')}</button>
            </div>
          )}
          {step.step === 'done' && (
            <>
              <p className="import-done" data-testid="import-done"><strong>{file?.name}</strong> · {t('import.done')}</p>
              <ImportReportView report={step.report} />
              <div className="form-actions">
                <button type="button" className="button primary" disabled={!step.report.bbox} onClick={() => flyTo(step.report.bbox)} data-testid="import-fly">
                  <Icon name="target" /> {t('import.flyTo')}
                </button>
                <button type="button" className="button" onClick={() => {
                  chooseFile(null);
                  setStep({ step: 'form' });
                }}>{t('import.another')}</button>
              </div>
            </>
          )}
          {layer === 'pipes' && <ImportHistory version={historyVersion} onFly={flyTo} />}
        </div>
      </div>
    </div>
  );
}
