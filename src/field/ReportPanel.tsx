// 上报: what (category), photos, where (my GPS fix or a tap on the map), a description. Submitting puts
// the report in the outbox, which sends it now or when the connection returns.
import { useState, type FormEvent } from 'react';
import type { Catalogue, CatalogueItem } from '../api/caseTypes.ts';
import { useI18n } from '../i18n/index.tsx';
import { PhotoPicker } from '../panels/cases/PhotoPicker.tsx';
import { CategoryPicker } from './CategoryPicker.tsx';
import type { Fix } from './useGeolocation.ts';

export interface ReportDraft {
  item: CatalogueItem | null;
  photos: Blob[];
  where: 'gps' | 'map';
  pin: { lon: number; lat: number } | null;
  description: string;
}

export const EMPTY_DRAFT: ReportDraft = { item: null, photos: [], where: 'gps', pin: null, description: '' };

/** A GPS fix worse than this (m) is flagged: the report may land in the neighbouring grid. */
const POOR_FIX_M = 50;

interface Props {
  catalogue: Catalogue | null;
  catalogueError: string | null;
  draft: ReportDraft;
  onDraft(d: ReportDraft): void;
  fix: Fix | null;
  onLocate(): void;
  onPickOnMap(): void;
  onSubmit(draft: ReportDraft, at: { lon: number; lat: number }): Promise<void>;
  onRetryCatalogue(): void;
}

export function ReportPanel({ catalogue, catalogueError, draft, onDraft, fix, onLocate, onPickOnMap, onSubmit, onRetryCatalogue }: Props) {
  const { t, lang } = useI18n();
  const [choosing, setChoosing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const at = draft.where === 'gps' ? (fix ? { lon: fix.lon, lat: fix.lat } : null) : draft.pin;
  const ready = !!draft.item && !!at && !busy;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!ready || !at) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit(draft, at);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!catalogue) {
    return catalogueError
      ? <div className="fm-empty"><p className="inline-error">{t('fm.catalogueFailed')}</p><button type="button" className="button" onClick={onRetryCatalogue}>{t('common.retry')}</button></div>
      : <p className="muted fm-pad"><span className="spinner small" /> {t('common.loading')}</p>;
  }
  if (choosing || !draft.item) {
    return (
      <div className="fm-report">
        {draft.item && <button type="button" className="link-button" onClick={() => setChoosing(false)}>‹ {t('common.back')}</button>}
        <CategoryPicker catalogue={catalogue} onPick={(item) => { onDraft({ ...draft, item }); setChoosing(false); }} />
      </div>
    );
  }

  return (
    <form className="fm-report fm-form" onSubmit={submit} data-testid="report-form">
      <div className="fm-field">
        <span className="fm-label">{t('fm.category')}</span>
        <div className="fm-chosen">
          <strong data-testid="report-item" data-code={draft.item.code}>{lang === 'zh' ? draft.item.name_zh : draft.item.name_en}</strong>
          <span className="muted"> · {t('fm.deadlineHours', { n: draft.item.deadline_hours })}</span>
          <button type="button" className="link-button" onClick={() => setChoosing(true)} data-testid="report-change-item">{t('fm.change')}</button>
        </div>
      </div>

      <div className="fm-field">
        <span className="fm-label">{t('fm.photos')}</span>
        <PhotoPicker photos={draft.photos} onChange={(photos) => onDraft({ ...draft, photos })} testId="report-photo" />
      </div>

      <fieldset className="fm-field">
        <legend className="fm-label">{t('fm.position')}</legend>
        <div className="segmented inline fm-seg" role="radiogroup">
          <button type="button" role="radio" aria-checked={draft.where === 'gps'} className={draft.where === 'gps' ? 'on' : ''}
            onClick={() => onDraft({ ...draft, where: 'gps' })} data-testid="report-where-gps">{t('fm.useGps')}</button>
          <button type="button" role="radio" aria-checked={draft.where === 'map'} className={draft.where === 'map' ? 'on' : ''}
            onClick={() => { onDraft({ ...draft, where: 'map' }); onPickOnMap(); }} data-testid="report-where-map">{t('fm.pickOnMap')}</button>
        </div>
        <p className="fm-where muted" data-testid="report-position">
          {at ? `${at.lon.toFixed(6)}, ${at.lat.toFixed(6)}` : draft.where === 'gps' ? t('fm.noFix') : t('fm.noPin')}
          {draft.where === 'gps' && fix && <> · ±{Math.round(fix.accuracy)} m</>}
        </p>
        {draft.where === 'gps' && !fix && <button type="button" className="button small" onClick={onLocate}>{t('fm.locate')}</button>}
        {draft.where === 'gps' && fix && fix.accuracy > POOR_FIX_M && <p className="fm-warn">{t('fm.poorFix')}</p>}
        {draft.where === 'map' && <button type="button" className="button small" onClick={onPickOnMap}>{t('fm.pickAgain')}</button>}
      </fieldset>

      <label className="fm-field">
        <span className="fm-label">{t('fm.description')}</span>
        <textarea className="fm-input" rows={3} maxLength={2000} value={draft.description} placeholder={t('fm.descriptionHint')}
          onChange={(e) => onDraft({ ...draft, description: e.currentTarget.value })} data-testid="report-description" />
      </label>

      {error && <p className="inline-error" role="alert">{error}</p>}
      <button type="submit" className="button primary big" disabled={!ready} data-testid="report-submit">
        {busy && <span className="spinner" />} {t('fm.submit')}
      </button>
    </form>
  );
}
