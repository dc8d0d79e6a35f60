// A registry layer or CCTV inspections: choose the file (and, if detection would be wrong, its CRS, encoding,
// sheet), check it with a dry run, read the report and fix the column mapping (each change checks again),
// then import — the same file with the same options — and read what was written. A refusal shows its
// reason with the report as far as it got.
import { useEffect, useState, type FormEvent } from 'react';
import type { ImportLayer } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useMapHandle } from '../../map/MapContext.ts';
import { reloadLayerTiles } from '../../map/tileSources.ts';
import { Icon } from '../Icon.tsx';
import { CrsChoice } from './CrsChoice.tsx';
import { FilePick } from './FilePick.tsx';
import { LayerReportView } from './LayerReportView.tsx';
import { MappingTable } from './MappingTable.tsx';
import { acceptFor, crsParam, ENCODINGS, hasPositions, isWorkbook, LAYER_CRS_MODES, validEpsg, type CrsMode, type EncodingChoice } from './importOptions.ts';
import type { Mapping } from './mappingFile.ts';
import { useLayerImport, type LayerRequest } from './useLayerImport.ts';

interface Props {
  layer: Exclude<ImportLayer, 'pipes'>;
  allowed: boolean;
  onBusy(busy: boolean): void;
  onLoggedOut(): void;
  onImported(): void;
}

/** Tile sources that show what a layer import changed. */
const SOURCES: Partial<Record<ImportLayer, string[]>> = { inspections: ['pipes'], hazards: ['hazards', 'pipes'] };

export function LayerImport({ layer, allowed, onBusy, onLoggedOut, onImported }: Props) {
  const { t, num } = useI18n();
  const { map } = useMapHandle();
  const [file, setFile] = useState<File | null>(null);
  const [crsMode, setCrsMode] = useState<CrsMode>('auto');
  const [epsg, setEpsg] = useState('');
  const [encoding, setEncoding] = useState<EncodingChoice>('');
  const [sheet, setSheet] = useState('');
  const [mapping, setMapping] = useState<Mapping | undefined>(undefined);
  const [badTemplate, setBadTemplate] = useState(false);
  const { run, last, start, reset } = useLayerImport(onLoggedOut);

  const busy = run.state === 'running';
  useEffect(() => onBusy(busy), [busy]);
  useEffect(() => {
    if (run.state !== 'committed') return;
    onImported();
    if (map) reloadLayerTiles(map, SOURCES[layer] ?? [layer]);
  }, [run.state]);

  const optionsOk = crsMode !== 'epsg' || validEpsg(epsg);
  const request = (m: Mapping | undefined): LayerRequest | null => (file ? {
    file, layer, mapping: m, encoding: encoding || undefined, sheet: isWorkbook(file.name) && sheet.trim() ? sheet.trim() : undefined,
    crs: hasPositions(layer) ? crsParam(crsMode, epsg) : undefined,
  } : null);

  const check = (e?: FormEvent) => {
    e?.preventDefault();
    const req = request(mapping);
    if (req && allowed && optionsOk) void start(req, false);
  };
  // The person's choices only, over the matching by name: fields left alone keep how they were matched.
  const remap = (m: Mapping) => {
    setBadTemplate(false);
    setMapping(m);
    const req = request(m);
    if (req) void start(req, false);
  };
  const commit = () => {
    const req = request(mapping);
    if (req) void start(req, true);
  };
  const chooseFile = (f: File | null) => {
    setFile(f);
    setMapping(undefined);
    reset();
  };

  const report = run.state === 'checked' || run.state === 'committed' ? run.report : run.state === 'refused' ? run.report : null;
  const canCommit = run.state === 'checked' && run.report.counts.rejected === 0 && run.report.counts.read > 0;
  const committed = run.state === 'committed';

  return (
    <div className="layer-import" data-testid="layer-import" data-state={run.state}>
      {!committed && (
        <form className="import-form" onSubmit={check}>
          <FilePick file={file} accept={acceptFor(layer)} disabled={busy} onChoose={chooseFile} />
          <p className="muted form-hint">{t(layer === 'inspections' ? 'import.inspectionsHint' : 'import.layerHint')}</p>
          {hasPositions(layer) && <CrsChoice modes={LAYER_CRS_MODES} mode={crsMode} epsg={epsg} disabled={busy} onMode={setCrsMode} onEpsg={setEpsg} />}
          <div className="import-options">
            <label className="filter-field">
              <span>{t('import.encoding')}</span>
              <select value={encoding} disabled={busy} data-testid="import-encoding" onChange={(e) => setEncoding(e.currentTarget.value as EncodingChoice)}>
                {ENCODINGS.map((enc) => <option key={enc} value={enc}>{enc ? enc.toUpperCase() : t('import.encodingAuto')}</option>)}
              </select>
            </label>
            {file && isWorkbook(file.name) && (
              <label className="filter-field">
                <span>{t('import.sheet')}</span>
                <input type="text" value={sheet} placeholder={t('import.sheetFirst')} disabled={busy} data-testid="import-sheet" onChange={(e) => setSheet(e.currentTarget.value)} />
              </label>
            )}
          </div>
          <div className="form-actions">
            <button type="submit" className="button" disabled={!allowed || !file || !optionsOk || busy} data-testid="import-start">
              <Icon name="search" /> {t('import.check')}
            </button>
            <button type="button" className="button primary" disabled={!allowed || !canCommit} onClick={commit} data-testid="import-commit"
              title={run.state === 'checked' && !canCommit ? t('import.fixFirst') : undefined}>
              <Icon name="upload" /> {t('import.commit')}
            </button>
          </div>
        </form>
      )}
      {busy && (
        <div className="import-progress" data-testid="import-progress" role="status">
          <progress max={1} value={run.fraction < 1 ? run.fraction : undefined} />
          <span>{run.fraction < 1 ? t('import.uploading', { pct: num(run.fraction * 100, 0) }) : t(run.commit ? 'import.committing' : 'import.checking')}</span>
        </div>
      )}
      {run.state === 'checked' && (
        <p className={`import-verdict${canCommit ? ' ok' : ' warn'}`} data-testid="import-verdict" role="status">
          {canCommit ? t('import.checkedOk') : run.report.counts.read === 0 ? t('import.noRows') : t('import.checkedRejected', { n: num(run.report.counts.rejected) })}
        </p>
      )}
      {committed && <p className="import-done" data-testid="import-done"><strong>{file?.name}</strong> · {t('import.done')}</p>}
      {run.state === 'refused' && (
        <div className="details-error" role="alert" data-testid="import-error">
          <p><Icon name="warning" /> {t(run.commit ? 'import.refused' : 'import.checkRefused')}</p>
          <p className="muted">{run.message}</p>
        </div>
      )}
      {run.state === 'failed' && (
        <div className="details-error" role="alert" data-testid="import-error">
          <p><Icon name="warning" /> {t('import.failed')}</p>
          <p className="muted">{run.message}</p>
        </div>
      )}
      {badTemplate && <p className="inline-error" role="alert" data-testid="mapping-bad">{t('import.badTemplate')}</p>}
      {report && <LayerReportView report={report} />}
      {last && !committed && (
        <MappingTable layer={layer} report={last} disabled={busy || !allowed} onPick={(field, column) => remap({ ...mapping, [field]: column })} onLoad={remap}
          onBadTemplate={() => setBadTemplate(true)} />
      )}
      {committed && (
        <div className="form-actions">
          <button type="button" className="button" onClick={() => chooseFile(null)} data-testid="import-another">{t('import.another')}</button>
        </div>
      )}
    </div>
  );
}
