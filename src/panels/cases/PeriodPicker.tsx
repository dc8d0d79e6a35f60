// The period the KPIs count (cases reported in it): presets and two dates.
import { useI18n } from '../../i18n/index.tsx';
import { preset, PRESETS, type Period } from './period.ts';

export function PeriodPicker({ value, onChange }: { value: Period; onChange(p: Period): void }) {
  const { t } = useI18n();
  const current = PRESETS.find((id) => {
    const p = preset(id);
    return p.from === value.from && p.to === value.to;
  });
  return (
    <fieldset className="filter-field period-picker" data-testid="kpi-period">
      <legend>{t('kpi.period')}</legend>
      <div className="segmented inline period-presets">
        {PRESETS.map((id) => (
          <button key={id} type="button" className={current === id ? 'on' : ''} aria-pressed={current === id} onClick={() => onChange(preset(id))} data-testid={`kpi-preset-${id}`}>
            {t(`kpi.preset.${id}`)}
          </button>
        ))}
      </div>
      <div className="period-dates">
        <input type="date" value={value.from} max={value.to} aria-label={t('cases.from')} data-testid="kpi-from"
          onChange={(e) => e.currentTarget.value && onChange({ ...value, from: e.currentTarget.value })} />
        <span aria-hidden="true">–</span>
        <input type="date" value={value.to} min={value.from} aria-label={t('cases.to')} data-testid="kpi-to"
          onChange={(e) => e.currentTarget.value && onChange({ ...value, to: e.currentTarget.value })} />
      </div>
    </fieldset>
  );
}
