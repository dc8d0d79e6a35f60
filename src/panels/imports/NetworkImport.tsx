// The network (layer pipes): a survey file, its CRS and the snapping tolerance, uploaded as a job that is
// followed until done, then its validation report and a flight to the new network.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../../api/endpoints.ts';
import { ApiError, isAbort } from '../../api/client.ts';
import type { ImportFormat, ImportJob, ImportReport } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useMapHandle } from '../../map/MapContext.ts';
import { reloadLayerTiles } from '../../map/tileSources.ts';
import { Icon } from '../Icon.tsx';
import { CrsChoice } from './CrsChoice.tsx';
import { FilePick } from './FilePick.tsx';
import { ImportReportView } from './ImportReportView.tsx';
import { acceptFor, crsParam, formatOf, IMPORT_FORMATS, NETWORK_CRS_MODES, validEpsg, type CrsMode } from './importOptions.ts';

const POLL_MS = 500;

type Step =
  | { step: 'form' }
  | { step: 'uploading'; fraction: number }
  | { step: 'running'; job: ImportJob | null }
  | { step: 'done'; report: ImportReport; id: string | number }
  | { step: 'failed'; message: string };

interface Props {
  allowed: boolean;
  onBusy(busy: boolean): void;
  /** The session ended: log in again (the form keeps what was chosen). */
  onLoggedOut(): void;
  onImported(): void;
  onFly(bbox: [number, number, number, number] | null): void;
}

export function NetworkImport({ allowed, onBusy, onLoggedOut, onImported, onFly }: Props) {
  const { t, tr, num } = useI18n();
  const { map } = useMapHandle();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<ImportFormat | ''>('');
  const [crsMode, setCrsMode] = useState<CrsMode>('auto');
  const [epsg, setEpsg] = useState('');
  const [tolerance, setTolerance] = useState('0.5');
  const [step, setStep] = useState<Step>({ step: 'form' });
  const abort = useRef<AbortController | null>(null);

  useEffect(() => () => abort.current?.abort(), []);
  const busy = step.step === 'uploading' || step.step === 'running';
  useEffect(() => onBusy(busy), [busy]);

  const tol = Number(tolerance);
  const tolOk = tolerance.trim() !== '' && Number.isFinite(tol) && tol >= 0 && tol <= 50;
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
          onImported();
          // New reaches are in the tiles now: fetch the loaded ones again.
          if (map) reloadLayerTiles(map, ['pipes', 'manholes']);
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
        onLoggedOut();
        setStep({ step: 'form' });
        return;
      }
      setStep({ step: 'failed', message: (err as Error).message });
    }
  };

  const progress = step.step === 'uploading' ? step.fraction : step.step === 'running' ? step.job?.progress ?? 0 : 1;

  return (
    <>
      {(step.step === 'form' || busy) && (
        <form className="import-form" onSubmit={start}>
          <FilePick file={file} accept={acceptFor('pipes')} disabled={busy} onChoose={chooseFile} />
          <p className="muted form-hint">{t('import.fileHint')}</p>
          <label className="filter-field">
            <span>{t('import.format')}</span>
            <select value={format} disabled={busy} data-testid="import-format" onChange={(e) => setFormat(e.currentTarget.value as ImportFormat | '')}>
              <option value="" disabled>{t('import.formatChoose')}</option>
              {IMPORT_FORMATS.map((f) => <option key={f} value={f}>{t(`import.format.${f}`)}</option>)}
            </select>
          </label>
          <CrsChoice modes={NETWORK_CRS_MODES} mode={crsMode} epsg={epsg} disabled={busy} onMode={setCrsMode} onEpsg={setEpsg} />
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
          <ImportReportView report={step.report} importId={Number(step.id)} />
          <div className="form-actions">
            <button type="button" className="button primary" disabled={!step.report.bbox} onClick={() => onFly(step.report.bbox)} data-testid="import-fly">
              <Icon name="target" /> {t('import.flyTo')}
            </button>
            <button type="button" className="button" onClick={() => {
              chooseFile(null);
              setStep({ step: 'form' });
            }}>{t('import.another')}</button>
          </div>
        </>
      )}
    </>
  );
}
