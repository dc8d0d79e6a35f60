// 附近: the nearest manholes, facilities, cameras, sensors and hazards, each with how far and which way.
// A tap flies the map there and starts navigating to it.
import type { NearestHit } from '../api/caseTypes.ts';
import { useI18n, type I18n } from '../i18n/index.tsx';
import { defectLabel } from '../panels/format.ts';
import { Direction } from './Direction.tsx';
import { bearingDeg, distanceM } from './geo.ts';
import { NEARBY_LAYERS, type NearbyState } from './useNearby.ts';
import type { Fix } from './useGeolocation.ts';

interface Props {
  fix: Fix | null;
  nearby: NearbyState;
  onLocate(): void;
  onRetry(): void;
  onNavigate(layer: string, hit: NearestHit): void;
}

export function hitLabel(hit: NearestHit, i: Pick<I18n, 't' | 'tr'>, layer?: string): string {
  const { tr } = i;
  // A hazard is a defect on a reach: its CJJ 181 name and grade say what to look for.
  if (layer === 'hazards' && hit.code) return defectLabel(hit.code, hit.properties.grade, i);
  const kind = hit.properties.kind ? tr(`value.kind.${String(hit.properties.kind)}`, String(hit.properties.kind)) : '';
  return hit.name || [hit.code, kind].filter(Boolean).join(' · ') || String(hit.id);
}

export function NearbyPanel({ fix, nearby, onLocate, onRetry, onNavigate }: Props) {
  const i18n = useI18n();
  const { t, tr } = i18n;
  if (!fix) {
    return (
      <div className="fm-empty">
        <p>{t('fm.nearbyNeedsFix')}</p>
        <button type="button" className="button primary big" onClick={onLocate}>{t('fm.locate')}</button>
      </div>
    );
  }
  if (nearby.state === 'error') {
    return (
      <div className="fm-empty">
        <p className="inline-error">{t('fm.nearbyFailed')}</p>
        <button type="button" className="button" onClick={onRetry}>{t('common.retry')}</button>
      </div>
    );
  }
  if (nearby.state !== 'ready') return <p className="muted fm-pad"><span className="spinner small" /> {t('common.loading')}</p>;
  const here: [number, number] = [fix.lon, fix.lat];
  return (
    <div className="fm-nearby" data-testid="field-nearby">
      {NEARBY_LAYERS.map((layer) => {
        const hits = nearby.answer.results[layer] ?? [];
        if (!hits.length) return null;
        return (
          <section key={layer} className="fm-nearby-group" data-testid={`nearby-${layer}`}>
            <h3><span className={`fm-kind-dot k-${layer}`} aria-hidden="true" /> {t(`kind.${layer}` as 'kind.manholes')}</h3>
            <ul>
              {hits.map((h) => {
                // The server measured to the feature's closest point from where I was; I may have moved since.
                const d = distanceM(here, [h.lon, h.lat]);
                const b = d < 1 ? null : bearingDeg(here, [h.lon, h.lat]);
                return (
                  <li key={`${layer}-${h.id}`}>
                    <button type="button" className="fm-nearby-item" data-testid="nearby-item" data-layer={layer} data-id={h.id} onClick={() => onNavigate(layer, h)}>
                      <span className="fm-nearby-name">{hitLabel(h, i18n, layer)}</span>
                      {h.properties.status !== undefined && (
                        <span className={`fm-tag s-${String(h.properties.status)}`}>{tr(`value.status.${String(h.properties.status)}`, String(h.properties.status))}</span>
                      )}
                      <Direction bearing={b} distance={d} />
                    </button>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
