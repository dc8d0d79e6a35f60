// Filters of the hazard ranking: street, then its communities; structural and functional grade; defect
// code; a diameter range. Every change starts again from the first page (the parent resets the offset).
import { useEffect, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import { gradeLabel } from '../format.ts';
import { FUNCTIONAL_DEFECTS, GRADES, STRUCTURAL_DEFECTS } from './defects.ts';
import { communitiesOf, type Areas } from './useAreas.ts';

export interface ReachFilters {
  street?: string;
  community?: string;
  sgrade?: number;
  fgrade?: number;
  code?: string;
  diameter_min?: number;
  diameter_max?: number;
}

interface Props {
  value: ReachFilters;
  onChange(next: ReachFilters): void;
  areas: Areas | null;
}

const numberOrUndefined = (s: string): number | undefined => {
  const v = Number(s);
  return s.trim() === '' || !Number.isFinite(v) || v < 0 ? undefined : Math.round(v);
};

export function RankingFilters({ value, onChange, areas }: Props) {
  const i = useI18n();
  const { t } = i;
  const set = (patch: Partial<ReachFilters>) => onChange({ ...value, ...patch });
  const communities = communitiesOf(areas, value.street);
  const any = Object.values(value).some((v) => v !== undefined);

  return (
    <form className="filter-form" data-testid="ranking-filters" onSubmit={(e) => e.preventDefault()}>
      <label className="filter-field">
        <span>{t('kind.streets')}</span>
        <select value={value.street ?? ''} data-testid="filter-street"
          onChange={(e) => set({ street: e.currentTarget.value || undefined, community: undefined })}>
          <option value="">{t('analysis.allStreets')}</option>
          {areas?.streets.map((s) => <option key={s.code} value={s.code}>{s.name}</option>)}
        </select>
      </label>
      <label className="filter-field">
        <span>{t('kind.communities')}</span>
        <select value={value.community ?? ''} disabled={!value.street} data-testid="filter-community"
          title={value.street ? undefined : t('analysis.chooseStreetFirst')}
          onChange={(e) => set({ community: e.currentTarget.value || undefined })}>
          <option value="">{t('analysis.allCommunities')}</option>
          {communities.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
        </select>
      </label>
      <div className="filter-pair">
        <label className="filter-field">
          <span>{t('field.sgrade')}</span>
          <select value={value.sgrade ?? ''} data-testid="filter-sgrade" onChange={(e) => set({ sgrade: numberOrUndefined(e.currentTarget.value) })}>
            <option value="">{t('analysis.any')}</option>
            {GRADES.map((g) => <option key={g} value={g}>{gradeLabel(g, i)}</option>)}
          </select>
        </label>
        <label className="filter-field">
          <span>{t('field.fgrade')}</span>
          <select value={value.fgrade ?? ''} data-testid="filter-fgrade" onChange={(e) => set({ fgrade: numberOrUndefined(e.currentTarget.value) })}>
            <option value="">{t('analysis.any')}</option>
            {GRADES.map((g) => <option key={g} value={g}>{gradeLabel(g, i)}</option>)}
          </select>
        </label>
      </div>
      <label className="filter-field">
        <span>{t('analysis.defectCode')}</span>
        <select value={value.code ?? ''} data-testid="filter-code" onChange={(e) => set({ code: e.currentTarget.value || undefined })}>
          <option value="">{t('analysis.anyDefect')}</option>
          <optgroup label={t('value.kind.structural')}>
            {STRUCTURAL_DEFECTS.map((c) => <option key={c} value={c}>{c} {t(`defect.${c}`)}</option>)}
          </optgroup>
          <optgroup label={t('value.kind.functional')}>
            {FUNCTIONAL_DEFECTS.map((c) => <option key={c} value={c}>{c} {t(`defect.${c}`)}</option>)}
          </optgroup>
        </select>
      </label>
      <DiameterRange min={value.diameter_min} max={value.diameter_max} onChange={(diameter_min, diameter_max) => set({ diameter_min, diameter_max })} />
      <button type="button" className="button small" disabled={!any} onClick={() => onChange({})} data-testid="filter-reset">
        {t('analysis.resetFilters')}
      </button>
    </form>
  );
}

/** Two number fields that apply on Enter or when they lose focus, not on every keystroke. */
function DiameterRange({ min, max, onChange }: { min?: number; max?: number; onChange(min?: number, max?: number): void }) {
  const { t } = useI18n();
  const [lo, setLo] = useState(min === undefined ? '' : String(min));
  const [hi, setHi] = useState(max === undefined ? '' : String(max));
  useEffect(() => setLo(min === undefined ? '' : String(min)), [min]);
  useEffect(() => setHi(max === undefined ? '' : String(max)), [max]);
  const commit = () => {
    const a = numberOrUndefined(lo);
    const b = numberOrUndefined(hi);
    if (a !== min || b !== max) onChange(a, b);
  };
  const onKey = (e: KeyboardEvent) => e.key === 'Enter' && commit();
  return (
    <fieldset className="filter-field filter-range">
      <legend>{t('analysis.diameterRange')}</legend>
      <input type="number" min={0} step={50} inputMode="numeric" placeholder={t('analysis.min')} value={lo} aria-label={`${t('analysis.diameterRange')} ${t('analysis.min')}`}
        data-testid="filter-dmin" onChange={(e) => setLo(e.currentTarget.value)} onBlur={commit} onKeyDown={onKey} />
      <span aria-hidden="true">–</span>
      <input type="number" min={0} step={50} inputMode="numeric" placeholder={t('analysis.max')} value={hi} aria-label={`${t('analysis.diameterRange')} ${t('analysis.max')}`}
        data-testid="filter-dmax" onChange={(e) => setHi(e.currentTarget.value)} onBlur={commit} onKeyDown={onKey} />
      <span className="unit">mm</span>
    </fieldset>
  );
}
