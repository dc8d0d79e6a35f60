// One app, five modes by path: the desktop map at `/`, the wall (`/wall`), the field app (`/field`), the
// citizens' page (`/citizen`, `/citizen/track/<number>`) and the printable report (`/report`).
// Each mode is its own chunk, so a mode loads only what it needs.
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from './i18n/index.tsx';
// The CJK font the app ships, so Chinese renders where the system has none (a kiosk, a fresh machine): regular
// and bold (600–800 resolve to bold, 500 to regular). Its unicode-range subsets load only for the characters
// on screen, with font-display: swap; the map's labels take the same files (src/map/fonts.ts).
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/700.css';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html is missing #root');

export type Mode = 'desktop' | 'wall' | 'field' | 'citizen' | 'report';

export function modeOf(pathname: string): Mode {
  if (/^\/wall\/?$/.test(pathname)) return 'wall';
  if (/^\/field\/?$/.test(pathname)) return 'field';
  if (/^\/report\/?$/.test(pathname)) return 'report';
  if (/^\/citizen(\/track\/[A-Za-z0-9]+)?\/?$/.test(pathname)) return 'citizen';
  return 'desktop';
}

const MODES: Record<Mode, ReturnType<typeof lazy>> = {
  desktop: lazy(() => import('./App.tsx').then((m) => ({ default: m.App }))),
  wall: lazy(() => import('./wall/WallApp.tsx')),
  field: lazy(() => import('./field/FieldApp.tsx')),
  citizen: lazy(() => import('./citizen/CitizenApp.tsx')),
  report: lazy(() => import('./report/ReportApp.tsx')),
};

const mode = modeOf(window.location.pathname);
document.documentElement.dataset.mode = mode;
const Mode = MODES[mode];

createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <Suspense fallback={<div className="app-loading" data-testid="app-loading"><span className="spinner" /></div>}>
        <Mode />
      </Suspense>
    </I18nProvider>
  </StrictMode>,
);
