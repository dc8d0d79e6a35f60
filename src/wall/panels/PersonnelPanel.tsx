// Staff on duty in the unit (reporting, and silent past their interval) and its devices online out of all:
// the 城管 scene's figures beside the vehicles. Counts only: where people are is on the map, for accounts
// that may see it.
import { useI18n } from '../../i18n/index.tsx';
import type { WallSummary } from '../../api/wall.ts';
import { Kpi } from './Kpi.tsx';
import { WallPanel } from './WallPanel.tsx';

interface Props {
  staff: WallSummary['staff'] | null;
  devices: WallSummary['devices'] | null;
}

export function PersonnelPanel({ staff, devices }: Props) {
  const { t, num } = useI18n();
  return (
    <WallPanel title={t('wall.personnel')} testId="panel-personnel">
      <div className="wall-kpi-row">
        <Kpi label={t('wall.staffOnDuty')} text={staff ? num(staff.on_duty) : '—'} value={staff?.on_duty ?? null} size="medium" testId="kpi-staff-on-duty" />
        <Kpi label={t('wall.staffOffline')} text={staff ? num(staff.offline) : '—'} value={staff?.offline ?? null} size="medium"
          tone={staff && staff.offline > 0 ? 'warning' : 'neutral'} testId="kpi-staff-offline" />
        <Kpi label={t('wall.devicesOnline')} text={devices ? `${num(devices.online)}/${num(devices.total)}` : '—'} value={devices?.online ?? null} size="medium"
          testId="kpi-devices-online" />
      </div>
    </WallPanel>
  );
}
