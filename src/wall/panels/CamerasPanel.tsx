// Camera online rate (now), online rate by street with the last days, and the blind-spot grids count.
import { useI18n } from '../../i18n/index.tsx';
import type { CameraCoverage, StreetOnline, WallSummary } from '../../api/wall.ts';
import { percent } from '../format.ts';
import { Kpi } from './Kpi.tsx';
import { StreetRates } from './StreetRates.tsx';
import { WallPanel } from './WallPanel.tsx';

interface Props {
  cameras: WallSummary['cameras'] | null;
  rate: number | null;
  streets: readonly StreetOnline[] | null;
  /** The level of those units: streets of the district, communities of a street, grids of a community. */
  level: string;
  names: ReadonlyMap<string, string>;
  coverage: CameraCoverage | null;
  current: string | null;
}

/**
 * Rows the panel has room for: the district's 14 streets, fewer below a street or community (whose units
 * also fill the list of units above this panel); those with the lowest rate now are listed.
 */
function worstFirst(units: readonly StreetOnline[], level: string): readonly StreetOnline[] {
  const max = level === 'street' ? 14 : 8;
  if (units.length <= max) return units;
  return [...units].sort((a, b) => (a.now?.online_rate ?? 1) - (b.now?.online_rate ?? 1)).slice(0, max).sort((a, b) => a.code.localeCompare(b.code));
}

export function CamerasPanel({ cameras, rate, streets, level, names, coverage, current }: Props) {
  const { t, tr, num } = useI18n();
  const blind = coverage?.blind_grids.length ?? null;
  return (
    <WallPanel needs={['cameras', 'grids']} title={t('wall.cameras')} aside={cameras ? t('wall.camerasOnline', { online: num(cameras.online), total: num(cameras.total) }) : undefined}
      className="wall-cameras" testId="panel-cameras">
      <div className="wall-kpi-row">
        <Kpi label={t('wall.cameraRate')} text={percent(rate, num)} value={rate} size="medium"
          tone={rate === null ? 'muted' : rate >= 0.95 ? 'good' : rate >= 0.9 ? 'neutral' : 'warning'} testId="kpi-camera-rate" />
        <Kpi label={t('wall.blindGrids')} text={blind === null ? '—' : num(blind)} value={blind} size="medium"
          tone={blind ? 'alarm' : 'muted'} testId="kpi-blind-grids"
          sub={coverage ? t('wall.blindHint', { pct: percent(coverage.blind_below, num) }) : undefined} />
      </div>
      <h3 className="wall-subtitle">{tr(`wall.byUnit.${level}`, t('wall.byStreet'))}</h3>
      {streets && <StreetRates units={worstFirst(streets, level)} names={names} current={current} />}
    </WallPanel>
  );
}
