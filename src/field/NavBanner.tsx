// Walking to something: what, how far and which way from where I am now, updated with every fix.
import { useI18n } from '../i18n/index.tsx';
import { Direction } from './Direction.tsx';
import { bearingDeg, distanceM } from './geo.ts';
import type { Fix } from './useGeolocation.ts';

export interface NavTarget {
  layer: string;
  id: string | number;
  label: string;
  lon: number;
  lat: number;
}

/** Within this many metres (or the fix's own accuracy, if worse) the target counts as reached. */
const ARRIVED_M = 8;

export function NavBanner({ target, fix, onEnd }: { target: NavTarget; fix: Fix | null; onEnd(): void }) {
  const { t } = useI18n();
  const here: [number, number] | null = fix ? [fix.lon, fix.lat] : null;
  const d = here ? distanceM(here, [target.lon, target.lat]) : null;
  const arrived = d !== null && fix !== null && d <= Math.max(ARRIVED_M, Math.min(fix.accuracy, 30));
  return (
    <section className="fm-nav fm-card" data-testid="field-nav" data-arrived={arrived}>
      <div className="fm-nav-what">
        <span className="muted">{t('fm.navTo')}</span> <strong data-testid="field-nav-target">{target.label}</strong>
      </div>
      <div className="fm-nav-row">
        {d === null || !here ? (
          <span className="muted">{t('fm.locating')}</span>
        ) : arrived ? (
          <span className="fm-arrived" data-testid="field-nav-arrived">{t('fm.arrived')}</span>
        ) : (
          <Direction bearing={d < 1 ? null : bearingDeg(here, [target.lon, target.lat])} distance={d} big />
        )}
        <button type="button" className="button small" onClick={onEnd} data-testid="field-nav-end">{t('fm.navEnd')}</button>
      </div>
    </section>
  );
}
