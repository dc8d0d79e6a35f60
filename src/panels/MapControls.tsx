// Zoom buttons, the north arrow (turns with the map; click to face north again) and "whole district".
import { useEffect, useState, type ReactNode } from 'react';
import { useT } from '../i18n/index.tsx';
import { useMapHandle } from '../map/MapContext.ts';
import { HOME_VIEW } from '../map/MapView.tsx';
import { Icon } from './Icon.tsx';

/** `extra`: controls under the zoom buttons (the 3D view's switch). */
export function MapControls({ extra }: { extra?: ReactNode }) {
  const t = useT();
  const { map } = useMapHandle();
  const [bearing, setBearing] = useState(0);
  const [pitch, setPitch] = useState(0);

  useEffect(() => {
    if (!map) return;
    const on = () => {
      setBearing(map.getBearing());
      setPitch(map.getPitch());
    };
    on();
    map.on('rotate', on);
    map.on('pitch', on);
    return () => {
      map.off('rotate', on);
      map.off('pitch', on);
    };
  }, [map]);

  return (
    <div className="map-controls" data-testid="map-controls">
      <button type="button" className="north-arrow" data-testid="north-arrow" title={t('controls.north')} aria-label={t('controls.north')}
        onClick={() => map?.easeTo({ bearing: 0, pitch: 0 })}>
        <svg viewBox="0 0 40 40" width="100%" height="100%" style={{ transform: `rotateX(${pitch}deg) rotate(${-bearing}deg)` }} aria-hidden="true">
          <polygon points="20,3 27,22 20,18.5 13,22" className="north-up" />
          <polygon points="20,37 27,22 20,25.5 13,22" className="north-down" />
          <text x="20" y="15.5" textAnchor="middle" className="north-n">N</text>
        </svg>
      </button>
      <div className="zoom-buttons">
        <button type="button" title={t('controls.zoomIn')} aria-label={t('controls.zoomIn')} data-testid="zoom-in" onClick={() => map?.zoomIn()}>
          <Icon name="plus" />
        </button>
        <button type="button" title={t('controls.zoomOut')} aria-label={t('controls.zoomOut')} data-testid="zoom-out" onClick={() => map?.zoomOut()}>
          <Icon name="minus" />
        </button>
        <button type="button" title={t('controls.home')} aria-label={t('controls.home')} data-testid="zoom-home"
          onClick={() => map?.flyTo({ center: HOME_VIEW.center, zoom: HOME_VIEW.zoom, bearing: 0, pitch: 0 })}>
          <Icon name="home" />
        </button>
      </div>
      {extra}
    </div>
  );
}
