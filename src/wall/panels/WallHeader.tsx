// Title, the synthetic-data badge, the reconnecting badge, the clock and when the figures were read.
import { forwardRef } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import { SyntheticBadge } from '../../panels/SyntheticBadge.tsx';
import { shanghaiTime } from '../format.ts';
import { Clock } from './Clock.tsx';
import { ReconnectBadge } from './ReconnectBadge.tsx';

interface Props {
  reconnecting: boolean;
  /** Server time of the figures shown (ISO), null before the first read. */
  updatedAt: string | null;
  stale: boolean;
  now(): number;
}

export const WallHeader = forwardRef<HTMLElement, Props>(function WallHeader({ reconnecting, updatedAt, stale, now }, ref) {
  const { t, lang } = useI18n();
  const time = updatedAt ? shanghaiTime(updatedAt, lang) : '—';
  return (
    <header className="wall-header" ref={ref}>
      <div className="wall-title">
        <h1>{t('app.title')} · {t('wall.title')}</h1>
        <p>{t('wall.subtitle')}</p>
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
