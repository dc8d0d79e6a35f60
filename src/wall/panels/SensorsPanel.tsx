// Sensor stations by state: normal, warning, alarm, offline.
import { useI18n } from '../../i18n/index.tsx';
import type { WallSummary } from '../../api/wall.ts';
import { Kpi, type KpiTone } from './Kpi.tsx';
import { WallPanel } from './WallPanel.tsx';

const STATES: { key: 'normal' | 'warning' | 'alarm' | 'offline'; tone: KpiTone }[] = [
  { key: 'normal', tone: 'good' },
  { key: 'warning', tone: 'warning' },
  { key: 'alarm', tone: 'alarm' },
  { key: 'offline', tone: 'muted' },
];

export function SensorsPanel({ sensors }: { sensors: WallSummary['sensors'] | null }) {
  const { t, num } = useI18n();
  const total = sensors ? Object.values(sensors).reduce((s, n) => s + (n ?? 0), 0) : null;
  return (
    <WallPanel needs={['sensors']} title={t('wall.sensors')} aside={total === null ? undefined : t('wall.ofTotal', { n: num(total) })} testId="panel-sensors">
      <div className="wall-kpi-row four">
        {STATES.map(({ key, tone }) => {
          const v = sensors ? sensors[key] ?? 0 : null;
          return <Kpi key={key} label={t(`status.${key}`)} text={v === null ? '—' : num(v)} value={v} size="medium"
            tone={v ? tone : 'muted'} testId={`kpi-sensors-${key}`} />;
        })}
      </div>
    </WallPanel>
  );
}
