// "Someone reported this 20 m away 2 h ago — add to it?": the public requests near the pin (Open311's
// list with the nearby extension), nearest first, with distance and age. Same category first, then any.
import { useEffect, useState } from 'react';
import type { ServiceRequest } from '../../common/api/open311.ts';
import { open311 } from '../api/open311.ts';
import { distanceM, formatDistance } from '../field/geo.ts';
import { useI18n, type I18n } from '../i18n/index.tsx';
import type { Pin } from './PinMap.tsx';

/** How near, and how recent, a report must be to be offered as the same problem. */
export const NEARBY_RADIUS_M = 50;
export const NEARBY_DAYS = 30;
const MAX_SHOWN = 3;

export function ago(t: I18n['t'], at: string, now = Date.now()): string {
  const min = Math.max(1, Math.round((now - new Date(at).getTime()) / 60_000));
  if (min < 60) return t('citizen.ago.min', { n: min });
  if (min < 48 * 60) return t('citizen.ago.hour', { n: Math.round(min / 60) });
  return t('citizen.ago.day', { n: Math.round(min / 1440) });
}

export function NearbyReports({ pin, serviceCode, onAddTo }: { pin: Pin; serviceCode: string | null; onAddTo(r: ServiceRequest): void }) {
  const { t, tr } = useI18n();
  const [found, setFound] = useState<ServiceRequest[]>([]);

  useEffect(() => {
    const ac = new AbortController();
    open311.near(pin.lon, pin.lat, NEARBY_RADIUS_M, NEARBY_DAYS, ac.signal)
      .then((rows) => setFound(rows.filter((r) => r.status === 'open')))
      .catch(() => setFound([])); // offline: nothing to offer, the report is queued as usual
    return () => ac.abort();
  }, [pin.lon, pin.lat]);

  const shown = found
    .map((r) => ({ r, d: distanceM([pin.lon, pin.lat], [r.long, r.lat]) }))
    .sort((a, b) => Number(b.r.service_code === serviceCode) - Number(a.r.service_code === serviceCode) || a.d - b.d)
    .slice(0, MAX_SHOWN);
  if (!shown.length) return null;
  return (
    <section className="cz-nearby" data-testid="cz-nearby">
      <h3 className="cz-sub">{t('citizen.nearby')}</h3>
      <ul>
        {shown.map(({ r, d }) => (
          <li key={r.service_request_id} data-testid="cz-nearby-item" data-id={r.service_request_id}>
            <p>{t('citizen.nearbyItem', {
              d: formatDistance(d), ago: ago(t, r.requested_datetime), what: tr(`citizen.cat.${r.service_code}`, r.service_name), status: t(`citizen.status.${r.status}`),
            })}</p>
            {r.description && <p className="muted cz-quote">“{r.description}”</p>}
            <button type="button" className="button small" onClick={() => onAddTo(r)} data-testid="cz-add-to">{t('citizen.addTo')}</button>
          </li>
        ))}
      </ul>
    </section>
  );
}
