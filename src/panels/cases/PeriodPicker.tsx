// The period the KPIs count (cases reported in it): presets and two dates.
import { useI18n } from '../../i18n/index.tsx';
import { DateInput } from '../DateInput.tsx';
import { preset, PRESETS, type Period } from './period.ts';

export function PeriodPicker({ value, onChange, legend }: { value: Period; onChange(p: Period): void; legend?: string }) {
  const { t } = useI18n();
  const current = PRESETS.find((id) => {
    const p = preset(id);
    return p.from === value.from && p.to === value.to;
  });
  return (
    <fieldset className="filter-field period-picker" data-testid="kpi-period">
      <legend>{legend ?? t('kpi.period')}</legend>
      <div className="segmented inline period-presets">
        {PRESETS.map((id) => (
          <button key={id} type="button" className={current === id ? 'on' : ''} aria-pressed={current === id} onClick={() => onChange(preset(id))} data-testid={`kpi-preset-${id}`}>
            {t(`kpi.preset.${id}`)}
          </button>
        ))}
      </div>
      <div className="period-dates">
        <DateInput value={value.from} label={t('cases.from')} testId="kpi-from" onChange={(from) => onChange({ ...value, from })} />
        <span aria-hidden="true">–</span>
        <DateInput value={value.to} label={t('cases.to')} testId="kpi-to" onChange={(to) => onChange({ ...value, to })} />
      </div>
    </fieldset>
  );
}
