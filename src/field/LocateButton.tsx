// "Locate me": asks for the position (the browser's permission prompt follows this tap) and centres on it.
import { useI18n } from '../i18n/index.tsx';
import type { GeoState } from './useGeolocation.ts';

export function LocateButton({ state, onLocate }: { state: GeoState; onLocate(): void }) {
  const { t } = useI18n();
  const label = state === 'denied' ? t('fm.geoDenied') : state === 'unavailable' || state === 'timeout' ? t('fm.geoUnavailable') : t('fm.locate');
  return (
    <button type="button" className={`fm-locate ${state}`} onClick={onLocate} title={label} aria-label={label} data-testid="field-locate" data-state={state}>
      {state === 'locating' ? <span className="spinner" /> : (
        <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
          <circle cx="12" cy="12" r="7" />
          <circle cx="12" cy="12" r="2.5" fill="currentColor" />
          <path d="M12 1v4M12 19v4M1 12h4M19 12h4" />
        </svg>
      )}
    </button>
  );
}
