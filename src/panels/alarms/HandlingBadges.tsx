// An alarm's handling at a glance: its state (待确认 / 已确认 / 已指派 / 已关闭), the unit handling it, and
// 督办 when it went unacknowledged past its time. Shared by the wall's list and the map's details.
import type { AlarmHandling, AlarmUnitLevel } from '../../api/alarms.ts';
import { useI18n } from '../../i18n/index.tsx';

interface Props {
  handling: AlarmHandling;
  unitLevel: AlarmUnitLevel;
  unitName?: string | null;
  supervised: boolean;
}

export function HandlingBadges({ handling, unitLevel, unitName, supervised }: Props) {
  const { t } = useI18n();
  return (
    <span className="alarm-badges">
      <span className={`alarm-badge handling-${handling}`} data-testid="alarm-handling" data-handling={handling}>{t(`alarm.state.${handling}`)}</span>
      <span className="alarm-badge alarm-unit" data-testid="alarm-unit" data-level={unitLevel}>{unitName ?? t(`alarm.level.${unitLevel}`)}</span>
      {supervised && <span className="alarm-badge alarm-supervised" data-testid="alarm-supervised">{t('alarm.supervised')}</span>}
    </span>
  );
}
