// The units below the wall's unit (streets of the district, communities of a street, grids of a community)
// with their open and overdue cases (red when one has an active alarm). Clicking one drills down to its wall; the one the
// playlist shows is highlighted.
import { useI18n } from '../../i18n/index.tsx';
import type { ChildUnit } from '../../api/wall.ts';
import { WallPanel } from './WallPanel.tsx';

interface Props {
  units: readonly ChildUnit[] | null;
  current: string | null;
  onUnit(unit: ChildUnit): void;
}

export function UnitsPanel({ units, current, onUnit }: Props) {
  const { t, tr, num } = useI18n();
  const level = units?.[0]?.level;
  return (
    <WallPanel title={level ? tr(`wall.units.${level}`, t('wall.units')) : t('wall.units')} aside={t('wall.units.key')} className="wall-units" testId="panel-units">
      <ol className={`wall-unit-list${(units?.length ?? 0) > 8 ? ' cols-3' : ''}`}>
        {(units ?? []).map((u) => (
          <li key={u.code} data-testid="unit-item" data-code={u.code} data-open={u.cases_open}
            className={`${u.code === current ? 'current' : ''}${u.alarms ? ' alarming' : ''}`}>
            <button type="button" onClick={() => onUnit(u)} title={`${u.name} ${u.code}`}>
              <span className="wall-unit-name">{u.level === 'grid' ? t('wall.units.gridNo', { no: u.code.slice(-3) }) : u.name}</span>
              <span className="wall-unit-open">{num(u.cases_open)}</span>
              <span className={`wall-unit-overdue${u.cases_overdue ? ' on' : ''}`}>{num(u.cases_overdue)}</span>
            </button>
          </li>
        ))}
      </ol>
    </WallPanel>
  );
}
