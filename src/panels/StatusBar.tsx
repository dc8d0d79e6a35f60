// Bottom strip: a scale bar, the cursor's coordinates (WGS84 = CGCS2000 here), the zoom, the data note.
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { useMapHandle } from '../map/MapContext.ts';
import { useSynthetic } from '../api/dataLayers.ts';

/** A round length (1, 2 or 5 × 10ⁿ metres) that fits in `maxPx` at this resolution. */
export function scaleBar(metresPerPixel: number, maxPx: number): { metres: number; px: number } {
  const max = metresPerPixel * maxPx;
  const pow = 10 ** Math.floor(Math.log10(max));
  const step = [5, 2, 1].map((k) => k * pow).find((v) => v <= max) ?? pow;
  return { metres: step, px: step / metresPerPixel };
}

export const formatLength = (m: number): string => (m >= 1000 ? `${+(m / 1000).toFixed(m >= 10_000 ? 0 : 1)} km` : `${Math.round(m)} m`);

export function StatusBar() {
  const { t } = useI18n();
  const synthetic = useSynthetic();
  const { map } = useMapHandle();
  const [cursor, setCursor] = useState<[number, number] | null>(null);
  const [view, setView] = useState<{ zoom: number; mpp: number } | null>(null);

  useEffect(() => {
    if (!map) return;
    let frame = 0;
    const onMove = (e: { lngLat: { lng: number; lat: number } }) => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setCursor([e.lngLat.lng, e.lngLat.lat]);
      });
    };
    const onOut = () => setCursor(null);
    const onView = () => {
      const lat = map.getCenter().lat;
      const mpp = (40_075_016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** map.getZoom());
      setView({ zoom: map.getZoom(), mpp });
    };
    onView();
    map.on('mousemove', onMove);
    map.on('mouseout', onOut);
    map.on('move', onView);
    return () => {
      cancelAnimationFrame(frame);
      map.off('mousemove', onMove);
      map.off('mouseout', onOut);
      map.off('move', onView);
    };
  }, [map]);

  const bar = view ? scaleBar(view.mpp, 120) : null;
  return (
    <footer className="status-bar" data-testid="status-bar">
      {bar && (
        <div className="scale-bar" data-testid="scale-bar" title={t('status.scale')}>
          <span className="scale-line" style={{ width: `${bar.px}px` }} />
          <span className="scale-text">{formatLength(bar.metres)}</span>
        </div>
      )}
      <span className={cursor ? 'coords' : 'coords idle'} data-testid="cursor-coords" title={t('status.coordsHint')}>
        {cursor ? `${cursor[0].toFixed(6)}°E, ${cursor[1].toFixed(6)}°N` : t('status.coordsIdle')}
      </span>
      {view && <span className="zoom-level" data-testid="zoom-level">z {view.zoom.toFixed(1)}</span>}
      <span className="crs">WGS84 / CGCS2000</span>
      <span className="attribution">{t('status.attribution')}{synthetic ? ` · ${t('common.synthetic')}` : ''}</span>
    </footer>
  );
}
