// The details of a facility: its operating state now (gate, pumps, level against 警戒/保证水位), when it last
// changed, and a chart of its recent record (the level, else the flow, else the gate's opening).
import type { Details } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { LineChart } from '../charts/LineChart.tsx';
import { facilityStateWords, formatValue } from '../format.ts';
import { Fact, Facts, Section } from './parts.tsx';

interface StateNow {
  open_pct: number | null; pump_status: string | null; flow_m3s: number | null; units_running: number | null;
  water_level_m: number | null; warning_level_m: number | null; guarantee_level_m: number | null;
  level_state: string | null; changed_at: string; synthetic: boolean;
}
interface StateThen { at: string; open_pct: number | null; pump_status: string | null; flow_m3s: number | null; water_level_m: number | null }
export interface FacilityRelated { state?: StateNow | null; history?: StateThen[] }

export function FacilitySection({ d }: { d: Details<FacilityRelated> }) {
  const i = useI18n();
  const { t } = i;
  const s = d.related?.state;
  const history = d.related?.history ?? [];
  const p = d.properties;
  const series = (k: 'water_level_m' | 'flow_m3s' | 'open_pct') =>
    history.filter((h) => typeof h[k] === 'number').map((h) => ({ t: h.at, value: h[k] as number }));
  const chart = ([['water_level_m', 'facilityState.levelChart', 'm'], ['flow_m3s', 'facilityState.flowChart', 'm³/s'], ['open_pct', 'facilityState.openChart', '%']] as const)
    .map(([k, label, unit]) => ({ points: series(k), label, unit }))
    .find((c) => c.points.length >= 2);
  return (
    <>
      <Facts>
        <Fact label={t('field.code')}>{String(p.code ?? '—')}</Fact>
        <Fact label={t('field.kind')}>{formatValue('kind', p.kind, i)}</Fact>
        {p.capacity != null && <Fact label={t('field.capacity')}>{String(p.capacity)}</Fact>}
      </Facts>
      <Section title={t('facilityState.history')} testId="facility-state">
        {!s && <p className="muted">{t('facilityState.none')}</p>}
        {s && (
          <>
            <p className={`datastream-now state-${s.level_state === 'guarantee' ? 'alarm' : s.level_state === 'warning' ? 'warning' : 'normal'}`}>
              {facilityStateWords(s as unknown as Record<string, unknown>, i).join(' · ') || '—'}
            </p>
            <Facts>
              {s.warning_level_m != null && <Fact label={t('field.warning_level_m')}>{formatValue('warning_level_m', s.warning_level_m, i)}</Fact>}
              {s.guarantee_level_m != null && <Fact label={t('field.guarantee_level_m')}>{formatValue('guarantee_level_m', s.guarantee_level_m, i)}</Fact>}
              <Fact label={t('field.state_at')}>{i.date(s.changed_at)}</Fact>
            </Facts>
            {chart && (
              <LineChart points={chart.points} unit={chart.unit} label={t(chart.label)}
                warn={chart.label === 'facilityState.levelChart' ? s.warning_level_m : null}
                alarm={chart.label === 'facilityState.levelChart' ? s.guarantee_level_m : null} />
            )}
            {s.synthetic && <p className="muted">{t('facilityState.synthetic')}</p>}
          </>
        )}
      </Section>
    </>
  );
}
