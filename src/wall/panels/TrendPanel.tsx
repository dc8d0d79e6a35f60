// The 24-hour trend of reported cases.
import { useT } from '../../i18n/index.tsx';
import { TrendChart } from './TrendChart.tsx';
import { WallPanel } from './WallPanel.tsx';

export function TrendPanel({ hours }: { hours: readonly { hour: string; reported: number }[] | null }) {
  const t = useT();
  return (
    <WallPanel needs={['cases']} title={t('wall.trend')} testId="panel-trend">
      {hours ? <TrendChart hours={hours} label={t('wall.trend')} /> : <div className="wall-trend-empty" />}
    </WallPanel>
  );
}
