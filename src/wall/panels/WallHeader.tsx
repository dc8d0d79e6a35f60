// Title with the unit the wall shows (its name and level), the way up (breadcrumbs: district › street),
// the synthetic-data badge, the reconnecting badge, the clock and when the figures were read.
import { forwardRef } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import { SyntheticBadge } from '../../panels/SyntheticBadge.tsx';
import { shanghaiTime } from '../format.ts';
import { Clock } from './Clock.tsx';
import { ReconnectBadge } from './ReconnectBadge.tsx';

interface UnitRef { level: string; code: string; name: string }

interface Props {
  /** The wall's unit, null before it is read. */
  unit: UnitRef | null;
  parents: readonly UnitRef[];
  onUp(unit: UnitRef): void;
  reconnecting: boolean;
  /** Server time of the figures shown (ISO), null before the first read. */
  updatedAt: string | null;
  stale: boolean;
  now(): number;
}

export const WallHeader = forwardRef<HTMLElement, Props>(function WallHeader({ unit, parents, onUp, reconnecting, updatedAt, stale, now }, ref) {
  const { t, tr, lang } = useI18n();
  const time = updatedAt ? shanghaiTime(updatedAt, lang) : '—';
  return (
    <header className="wall-header" ref={ref}>
      <div className="wall-title">
        <h1 data-testid="wall-unit" data-level={unit?.level ?? ''} data-code={unit?.code ?? ''}>
          {unit ? <>{unit.name}<span className="wall-level">{tr(`wall.level.${unit.level}`, unit.level)}</span></> : t('app.title')} · {t('wall.title')}
        </h1>
        {parents.length ? (
          <nav className="wall-crumbs" aria-label={t('wall.up')} data-testid="breadcrumbs">
            {parents.map((p) => (
              <button key={p.code} type="button" onClick={() => onUp(p)} data-testid="crumb" data-code={p.code}>{p.name}</button>
            ))}
            <span aria-current="page">{unit?.name}</span>
          </nav>
        ) : <p>{t('wall.subtitle')}</p>}
      </div>
      <div className="wall-badges">
        <SyntheticBadge />
        {reconnecting && <ReconnectBadge />}
      </div>
      <div className="wall-header-end">
        <div className={`wall-updated${stale ? ' stale' : ''}`} data-testid="wall-updated">
          {stale ? t('wall.stale', { time }) : t('wall.updated', { time })}
        </div>
        <Clock now={now} />
      </div>
    </header>
  );
});
