// GPS vehicles on duty out of all.
import { useI18n } from '../../i18n/index.tsx';
import type { WallSummary } from '../../api/wall.ts';
import { percent } from '../format.ts';
import { Kpi } from './Kpi.tsx';
import { WallPanel } from './WallPanel.tsx';

export function VehiclesPanel({ vehicles }: { vehicles: WallSummary['vehicles'] | null }) {
  const { t, num } = useI18n();
  return (
    <WallPanel needs={['vehicles']} title={t('wall.vehicles')} aside={vehicles ? t('wall.ofTotal', { n: num(vehicles.total) }) : undefined} testId="panel-vehicles">
      <div className="wall-kpi-row">
        <Kpi label={t('wall.onDuty')} text={vehicles ? num(vehicles.on_duty) : '—'} value={vehicles?.on_duty ?? null} size="medium" testId="kpi-vehicles-on-duty" />
        <Kpi label={t('wall.onDutyRate')} text={vehicles ? percent(vehicles.total ? vehicles.on_duty / vehicles.total : null, num) : '—'}
          value={vehicles && vehicles.total ? vehicles.on_duty / vehicles.total : null} size="medium" testId="kpi-vehicles-rate" />
      </div>
    </WallPanel>
  );
}
