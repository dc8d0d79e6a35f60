// /citizen: report a problem without an account — what (category), where (GPS or the map; the address
// from the map's data), photos and words, consent to publish, send. Everything goes through the phones'
// outbox (src/outbox/): written to the phone first, sent when there is a connection, exactly once (the
// report carries a client id and its token). A report nearby already may be added to (补充) instead.
import { lazy, Suspense, useEffect, useState } from 'react';
import type { Service, ServiceRequest } from '../../common/api/open311.ts';
import { open311 } from '../api/open311.ts';
import { useOnline } from '../field/useOnline.ts';
import { uuid } from '../field/uuid.ts';
import { useI18n } from '../i18n/index.tsx';
import { PhotoPicker } from '../panels/cases/PhotoPicker.tsx';
import { CITIZEN, type CitizenItem, type QueuedPhoto } from '../outbox/types.ts';
import { useOutbox } from '../outbox/useOutbox.ts';
import { CategoryStep } from './CategoryStep.tsx';
import { plainWords } from './categories.tsx';
import { MyReportsList } from './MyReportsList.tsx';
import { NearbyReports } from './NearbyReports.tsx';
import type { Pin } from './PinMap.tsx';
import { rememberSent, trackUrl, type MyReport } from './myReports.ts';
import { useAddress } from './useAddress.ts';

const PinMap = lazy(() => import('./PinMap.tsx'));
const MAX_PHOTOS = 4;

/** 18 random bytes as base64url (24 characters): the report's token, made here so a re-send carries the same. */
function newToken(): string {
  const b = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const toQueued = async (photos: Blob[]): Promise<QueuedPhoto[]> =>
  Promise.all(photos.map(async (b) => ({ bytes: await b.arrayBuffer(), type: b.type || 'image/jpeg' })));

type Outcome = { id: string; sent: MyReport | null; supplement: boolean };

export function ReportPage() {
  const { t, tr } = useI18n();
  const online = useOnline();
  const outbox = useOutbox<CitizenItem>(CITIZEN);
  const [services, setServices] = useState<Service[]>([]);
  const [service, setService] = useState<Service | null>(null);
  const [pin, setPin] = useState<Pin | null>(null);
  const [typedAddress, setTypedAddress] = useState<string | null>(null);
  const [photos, setPhotos] = useState<Blob[]>([]);
  const [description, setDescription] = useState('');
  const [publish, setPublish] = useState(false);
  const [addTo, setAddTo] = useState<ServiceRequest | null>(null);
  const [gps, setGps] = useState<'idle' | 'locating' | 'failed'>('idle');
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [saved, setSaved] = useState(0);
  const found = useAddress(pin);
  const address = typedAddress ?? found.address ?? '';

  useEffect(() => {
    const load = () => open311.services().then(setServices).catch(() => undefined);
    void load();
    window.addEventListener('online', load);
    return () => window.removeEventListener('online', load);
  }, []);

  // Every sent item is remembered with its link, whichever visit of the page queued it.
  useEffect(() => {
    const n = outbox.lastSent;
    if (!n) return;
    const r = rememberSent(n.item, n.caseNo);
    setSaved((k) => k + 1);
    setOutcome((o) => (o?.id === n.item.id ? { ...o, sent: r } : o));
  }, [outbox.lastSent]);

  const locate = () => {
    if (!('geolocation' in navigator)) return setGps('failed');
    setGps('locating');
    navigator.geolocation.getCurrentPosition(
      (p) => { setGps('idle'); setTypedAddress(null); setPin({ lon: p.coords.longitude, lat: p.coords.latitude }); },
      () => setGps('failed'),
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 10_000 },
    );
  };

  const reset = () => {
    setService(null); setPin(null); setTypedAddress(null); setPhotos([]); setDescription(''); setPublish(false); setAddTo(null); setOutcome(null); setError(null);
  };

  const submit = async () => {
    setError(null);
    const base = { id: uuid(), user: CITIZEN, createdAt: Date.now(), photos: await toQueued(photos), attempts: 0, nextAt: 0 };
    let item: CitizenItem;
    if (addTo) {
      if (!description.trim() && !photos.length) return setError(t('citizen.needSupplement'));
      item = { ...base, kind: 'supplement', requestId: addTo.service_request_id, description: description.trim() };
    } else {
      if (!service) return setError(t('citizen.needWhat'));
      if (!pin) return setError(t('citizen.needWhere'));
      item = {
        ...base, kind: 'citizen-report', service_code: service.service_code, label: plainWords(tr, service), lon: pin.lon, lat: pin.lat,
        description: description.trim(), address: address.trim(), publish, token: newToken(),
      };
    }
    try {
      await outbox.box.add(item);
      setOutcome({ id: item.id, sent: null, supplement: item.kind === 'supplement' });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  if (outcome) {
    const waiting = outbox.items.find((i) => i.id === outcome.id);
    return (
      <main className="cz-page" data-testid="cz-outcome">
        {outcome.sent ? (
          <section className="cz-card cz-done" data-testid="cz-sent" data-no={outcome.sent.no}>
            <h2>{outcome.supplement ? t('citizen.sentSupplement', { no: outcome.sent.no }) : t('citizen.sent', { no: outcome.sent.no })}</h2>
            <a className="button big" href={trackUrl(outcome.sent)} data-testid="cz-track-link">{t('citizen.trackLink')}</a>
            {outcome.sent.token && <p className="muted">{t('citizen.trackKeep')}</p>}
          </section>
        ) : (
          <section className="cz-card" data-testid="cz-queued">
            <h2>{t('citizen.queued')}</h2>
            {waiting?.failed && <p className="inline-error">{t('citizen.failed', { error: waiting.error ?? '' })}</p>}
          </section>
        )}
        <button type="button" className="button" onClick={reset} data-testid="cz-again">{t('citizen.again')}</button>
        <MyReportsList key={saved} pending={outbox.items} onDiscard={(id) => void outbox.box.discard(id)} />
      </main>
    );
  }

  return (
    <main className="cz-page" data-testid="cz-report">
      {!online && <p className="cz-offline" data-testid="cz-offline">{t('citizen.offline')}</p>}
      {addTo ? (
        <section className="cz-card cz-adding" data-testid="cz-adding" data-id={addTo.service_request_id}>
          <strong>{t('citizen.adding', { no: addTo.service_request_id })}</strong>
          <span className="muted">{tr(`citizen.cat.${addTo.service_code}`, addTo.service_name)}{addTo.address ? ` · ${addTo.address}` : ''}</span>
          <button type="button" className="link-button" onClick={() => setAddTo(null)} data-testid="cz-cancel-add">{t('citizen.cancelAdd')}</button>
        </section>
      ) : (
        <>
          <section className="cz-card">
            <h2>{t('citizen.step.what')}</h2>
            <CategoryStep services={services} chosen={service} onChoose={setService} />
          </section>
          <section className="cz-card">
            <h2>{t('citizen.step.where')}</h2>
            <div className="cz-where">
              <button type="button" className="button" onClick={locate} disabled={gps === 'locating'} data-testid="cz-gps">
                {gps === 'locating' ? t('citizen.locating') : t('citizen.gps')}
              </button>
              <span className="muted">{t('citizen.tapMap')}</span>
            </div>
            {gps === 'failed' && <p className="inline-error">{t('citizen.gpsFailed')}</p>}
            <Suspense fallback={<div className="cz-map" />}>
              <PinMap pin={pin} onPin={(p) => { setTypedAddress(null); setPin(p); }} />
            </Suspense>
            {pin && <p className="muted cz-small" data-testid="cz-position">{pin.lon.toFixed(6)}, {pin.lat.toFixed(6)}</p>}
            <label className="cz-label">{t('citizen.address')}
              <input className="cz-input" value={address} placeholder={found.looking ? t('citizen.addressLooking') : t('citizen.addressHint')}
                onChange={(e) => setTypedAddress(e.currentTarget.value)} maxLength={200} data-testid="cz-address" />
            </label>
          </section>
          {pin && online && <NearbyReports pin={pin} serviceCode={service?.service_code ?? null} onAddTo={(r) => { setAddTo(r); window.scrollTo(0, 0); }} />}
        </>
      )}
      <section className="cz-card">
        <h2>{t('citizen.step.details')}</h2>
        <span className="cz-label">{t('citizen.photos')}</span>
        <PhotoPicker photos={photos} onChange={setPhotos} max={MAX_PHOTOS} testId="cz-photo" />
        <label className="cz-label">{t('citizen.description')}
          <textarea className="cz-input" rows={3} maxLength={2000} value={description} placeholder={t('citizen.descriptionHint')}
            onChange={(e) => setDescription(e.currentTarget.value)} data-testid="cz-description" />
        </label>
        {!addTo && (
          <label className="cz-check">
            <input type="checkbox" checked={publish} onChange={(e) => setPublish(e.currentTarget.checked)} data-testid="cz-publish" />
            <span>{t('citizen.publish')}</span>
          </label>
        )}
        {error && <p className="inline-error" role="alert" data-testid="cz-error">{error}</p>}
        <button type="button" className="button primary big" onClick={() => void submit()} data-testid="cz-send">
          {addTo ? t('citizen.sendSupplement') : t('citizen.send')}
        </button>
      </section>
      <MyReportsList key={saved} pending={outbox.items} onDiscard={(id) => void outbox.box.discard(id)} />
    </main>
  );
}
