// /citizen: the citizens' page (民呼我应 / 微邻里) on a phone, no account: report a problem, follow it with
// the link it gives, evaluate it when closed. /citizen/track/<number>?token=… is the follow-up page.
// Offline it opens from the phones' service worker and queues reports in the phones' outbox.
import { useEffect } from 'react';
import { LangSwitch } from '../panels/LangSwitch.tsx';
import { useI18n } from '../i18n/index.tsx';
import { registerPhoneSw } from '../field/registerSw.ts';
import { ReportPage } from './ReportPage.tsx';
import { TrackPage } from './TrackPage.tsx';
import './citizen.css';

declare global {
  interface Window {
    /** For tests: whether the service worker took the page. */
    __citizenSw?: string;
  }
}

export function trackTarget(pathname: string, search: string): { id: string; token: string | null } | null {
  const m = /^\/citizen\/track\/([A-Za-z0-9]{1,40})\/?$/.exec(pathname);
  return m ? { id: m[1], token: new URLSearchParams(search).get('token') } : null;
}

export default function CitizenApp() {
  const { t } = useI18n();
  const track = trackTarget(window.location.pathname, window.location.search);

  useEffect(() => {
    void registerPhoneSw('/citizen').then((s) => { window.__citizenSw = s; });
  }, []);

  return (
    <div className="cz-app">
      <header className="cz-header">
        <div>
          <h1>{t('citizen.title')}</h1>
          <p>{t('citizen.subtitle')}</p>
        </div>
        <LangSwitch />
      </header>
      {track ? <TrackPage id={track.id} token={track.token} /> : <ReportPage />}
    </div>
  );
}
