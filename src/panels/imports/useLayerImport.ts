// One layer import as the dialog runs it: a dry run first (again each time the mapping changes), then the
// commit with the same file and options. Each run replaces the one before it (its request is aborted). A
// refusal keeps the report the server sent with it: the file's columns and the mapping, the rows refused.
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/endpoints.ts';
import { ApiError, isAbort } from '../../api/client.ts';
import type { ImportLayer, LayerImportReport } from '../../api/types.ts';
import type { Mapping } from './mappingFile.ts';

export type LayerReport = Partial<LayerImportReport>;

export type LayerRun =
  | { state: 'form' }
  | { state: 'running'; commit: boolean; fraction: number }
  | { state: 'checked'; report: LayerImportReport }
  | { state: 'committed'; report: LayerImportReport }
  | { state: 'refused'; commit: boolean; message: string; report: LayerReport | null }
  | { state: 'failed'; message: string };

export interface LayerRequest {
  file: File;
  layer: Exclude<ImportLayer, 'pipes'>;
  crs?: string;
  encoding?: string;
  sheet?: string;
  /** The person's mapping; undefined: matched by name on the server. */
  mapping?: Mapping;
}

export function useLayerImport(onLoggedOut: () => void) {
  const [run, setRun] = useState<LayerRun>({ state: 'form' });
  /** The last answer that had the file's columns: the mapping table stays while a new dry run is asked. */
  const [last, setLast] = useState<LayerReport | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const start = async (req: LayerRequest, commit: boolean) => {
    abort.current?.abort();
    const ctrl = new AbortController();
    abort.current = ctrl;
    setRun({ state: 'running', commit, fraction: 0 });
    try {
      const report = await api.importLayer(req.file, {
        filename: req.file.name, layer: req.layer, dry_run: !commit, crs: req.crs, encoding: req.encoding, sheet: req.sheet,
        mapping: req.mapping ? JSON.stringify(req.mapping) : undefined,
      }, (fraction) => setRun({ state: 'running', commit, fraction }), ctrl.signal);
      setLast(report);
      setRun(commit && report.committed ? { state: 'committed', report } : { state: 'checked', report });
    } catch (err) {
      if (isAbort(err)) return;
      if (err instanceof ApiError && err.status === 401) {
        onLoggedOut();
        setRun({ state: 'form' });
        return;
      }
      if (err instanceof ApiError && err.status === 400) {
        const report = (err.body as { report?: LayerReport } | undefined)?.report ?? null;
        if (report?.headers?.length && report.template && Object.keys(report.template).length) setLast(report);
        setRun({ state: 'refused', commit, message: err.message, report });
        return;
      }
      setRun({ state: 'failed', message: (err as Error).message });
    }
  };

  const reset = () => {
    abort.current?.abort();
    setRun({ state: 'form' });
    setLast(null);
  };

  return { run, last, start, reset };
}
