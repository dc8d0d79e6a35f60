// Zoom to the district, a street (街道) or a community (社区): the areas come from the OGC collections.
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { useMapHandle } from '../map/MapContext.ts';
import { HOME_VIEW } from '../map/MapView.tsx';
import { Icon } from './Icon.tsx';
import { loadAreas, type Area } from './analysis/useAreas.ts';

type Load = { state: 'idle' | 'loading' | 'error' } | { state: 'ready'; streets: Area[]; communities: Area[] };

export function AreaZoom() {
  const { t } = useI18n();
  const { map } = useMapHandle();
  const [open, setOpen] = useState(false);
  const [load, setLoad] = useState<Load>({ state: 'idle' });
  const [street, setStreet] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);

  const fetchAreas = () => {
    setLoad({ state: 'loading' });
    loadAreas()
      .then(({ streets, communities }) => setLoad({ state: 'ready', streets, communities }))
      .catch(() => setLoad({ state: 'error' }));
  };

  useEffect(() => {
    if (open && load.state === 'idle') fetchAreas();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', esc);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', esc);
    };
  }, [open]);

  const zoomTo = (a: Area) => {
    map?.fitBounds([[a.bbox[0], a.bbox[1]], [a.bbox[2], a.bbox[3]]], { padding: 60, duration: 900 });
    setOpen(false);
  };

  return (
    <div className="area-zoom" ref={ref}>
      <button type="button" className="chrome-button" aria-expanded={open} data-testid="area-zoom" onClick={() => setOpen(!open)} title={t('area.title')}>
        <Icon name="target" /> <span className="tool-label">{t('area.button')}</span>
      </button>
      {open && (
        <div className="area-menu panel-like" role="menu" data-testid="area-menu">
          <button type="button" role="menuitem" className="area-item district" onClick={() => {
            map?.flyTo({ center: HOME_VIEW.center, zoom: HOME_VIEW.zoom, bearing: 0, pitch: 0 });
            setOpen(false);
          }}>
            {t('area.district')}
          </button>
          {load.state === 'loading' && <div className="area-message"><span className="spinner" /> {t('common.loading')}</div>}
          {load.state === 'error' && (
            <div className="area-message error">
              {t('area.failed')} <button type="button" className="link-button" onClick={fetchAreas}>{t('common.retry')}</button>
            </div>
          )}
          {load.state === 'ready' && (
            <ul className="area-list">
              {load.streets.map((s) => (
                <li key={s.code}>
                  <div className="area-row">
                    <button type="button" className="area-expand" aria-expanded={street === s.code} aria-label={t('area.communities')}
                      onClick={() => setStreet(street === s.code ? null : s.code)}>
                      <span className={`chevron${street === s.code ? ' open' : ''}`}><Icon name="chevron" /></span>
                    </button>
                    <button type="button" role="menuitem" className="area-item" data-testid="area-street" onClick={() => zoomTo(s)}>{s.name}</button>
                  </div>
                  {street === s.code && (
                    <ul className="area-sublist">
                      {load.communities.filter((c) => c.code.startsWith(s.code)).map((c) => (
                        <li key={c.code}>
                          <button type="button" role="menuitem" className="area-item" onClick={() => zoomTo(c)}>{c.name}</button>
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
