// Where a dispatch goes: the departments that fit the case (its item and grid), best first, each with why,
// the first chosen; any other department from the full list for the dispatcher who knows better.
import { useEffect, useState } from 'react';
import { departmentsApi, type Department, type Suggestion } from '../../api/departments.ts';
import { useI18n } from '../../i18n/index.tsx';

interface Props {
  caseId: number;
  value: string;
  onChange(code: string): void;
}

export function DepartmentPicker({ caseId, value, onChange }: Props) {
  const { t, lang } = useI18n();
  const [suggestions, setSuggestions] = useState<Suggestion[] | null>(null);
  const [all, setAll] = useState<Department[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    departmentsApi.suggestions(caseId, ctrl.signal).then((s) => {
      setSuggestions(s.items);
      // The best fit is the default; the dispatcher confirms or changes it.
      if (s.items[0]) onChange(s.items[0].code);
    }, (e: unknown) => !ctrl.signal.aborted && setError((e as Error).message));
    departmentsApi.list(undefined, ctrl.signal).then((l) => setAll(l.items.filter((d) => d.active)), () => {});
    return () => ctrl.abort();
    // onChange is the parent's state setter: asked again only when the case changes.
  }, [caseId]);

  const name = (d: { name_zh: string; name_en: string }) => (lang === 'zh' ? d.name_zh : d.name_en);
  const suggested = new Set((suggestions ?? []).map((s) => s.code));
  return (
    <fieldset className="dept-picker" data-testid="dept-picker">
      <legend>{t('dept.pick')} *</legend>
      {error && <p className="inline-error" role="alert">{error}</p>}
      {!suggestions && !error && <p className="muted">{t('dept.loading')}</p>}
      {suggestions?.length === 0 && <p className="muted" data-testid="dept-none">{t('dept.noSuggestion')}</p>}
      {suggestions?.map((s, k) => (
        <label key={s.code} className={`dept-option${value === s.code ? ' chosen' : ''}`} data-testid={`dept-option-${s.code}`}>
          <input type="radio" name="department" value={s.code} checked={value === s.code} onChange={() => onChange(s.code)} />
          <span className="dept-name">{name(s)}</span>
          {k === 0 && <span className="badge" data-testid="dept-suggested">{t('dept.suggested')}</span>}
          <span className="muted dept-why">
            {t(`dept.kind.${s.kind}`)} · {t('dept.why', { item: `${t(`dept.match.${s.item_match}`)} ${s.item_scope}`, area: t(`dept.area.${s.area_match}`) })}
          </span>
        </label>
      ))}
      <label className="step-field">
        <span>{t('dept.other')}</span>
        <select value={suggested.has(value) ? '' : value} onChange={(e) => e.currentTarget.value && onChange(e.currentTarget.value)} data-testid="dept-other">
          <option value="">{t('dept.otherPlaceholder')}</option>
          {all.map((d) => <option key={d.code} value={d.code}>{name(d)}</option>)}
        </select>
      </label>
    </fieldset>
  );
}
