// Which column of the file fills which field: one select per field listing the file's columns (or "not
// mapped"), how each was matched, required fields marked. A change asks for a new dry run; the mapping can
// be saved as a template (the JSON --mapping takes) and a template loaded.
import { useRef } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import { Icon } from '../Icon.tsx';
import { Section } from '../details/parts.tsx';
import { downloadMapping, readMapping, type Mapping } from './mappingFile.ts';
import type { LayerReport } from './useLayerImport.ts';

interface Props {
  layer: string;
  report: LayerReport;
  disabled: boolean;
  /** A field given a column (null: none). */
  onPick(field: string, column: string | null): void;
  /** A template loaded: the whole mapping. */
  onLoad(mapping: Mapping): void;
  onBadTemplate(): void;
}

export function MappingTable({ layer, report, disabled, onPick, onLoad, onBadTemplate }: Props) {
  const { t } = useI18n();
  const load = useRef<HTMLInputElement>(null);
  const template: Mapping = report.template ?? {};
  const headers = report.headers ?? [];
  const how = new Map((report.matches ?? []).map((m) => [m.field, m.how]));
  const fields = report.fields ?? Object.keys(template).map((field) => ({ field, label: field, required: false }));

  const loadTemplate = async (file: File | undefined) => {
    if (!file) return;
    const mapping = await readMapping(file);
    if (load.current) load.current.value = '';
    if (mapping) onLoad(mapping);
    else onBadTemplate();
  };

  return (
    <Section title={t('import.mapping')} testId="import-mapping">
      <p className="muted form-hint">{t('import.mappingHint')}</p>
      <div className="mapping-scroll">
        <table className="mini-table mapping-table">
          <thead><tr><th>{t('import.field')}</th><th>{t('import.column')}</th><th>{t('import.matchedBy')}</th></tr></thead>
          <tbody>
            {fields.map((f) => {
              const column = template[f.field] ?? '';
              return (
                <tr key={f.field} data-testid="mapping-row" data-field={f.field} className={f.required && !column ? 'warn' : undefined}>
                  <td title={f.field}>{f.label}{f.required && <span className="required-mark" title={t('import.required')}> *</span>}</td>
                  <td>
                    <select value={column} disabled={disabled} data-testid={`mapping-${f.field}`} aria-label={f.label}
                      onChange={(e) => onPick(f.field, e.currentTarget.value || null)}>
                      <option value="">{t('import.notMapped')}</option>
                      {headers.map((h) => <option key={h} value={h}>{h}</option>)}
                    </select>
                  </td>
                  <td className="muted">{column ? t(`import.how.${how.get(f.field) ?? 'user'}`) : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {(report.unused ?? []).length > 0 && (
        <p className="muted form-hint" data-testid="mapping-unused">{t('import.unusedColumns')}: {report.unused!.join('、')}</p>
      )}
      <div className="form-actions">
        <button type="button" className="button small" disabled={!Object.keys(template).length} onClick={() => downloadMapping(layer, template)} data-testid="mapping-save">
          <Icon name="download" /> {t('import.saveTemplate')}
        </button>
        <span className="file-pick">
          <label className={`button small${disabled ? ' disabled' : ''}`}>
            <Icon name="upload" /> {t('import.loadTemplate')}
            <input ref={load} type="file" accept=".json,application/json" disabled={disabled} data-testid="mapping-load"
              onChange={(e) => void loadTemplate(e.currentTarget.files?.[0])} />
          </label>
        </span>
      </div>
    </Section>
  );
}
