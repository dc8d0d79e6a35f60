// The report's map: a MapLibre map of the area (or the trace, drawn over the pipes coloured by their
// structural grade) that renders once, is copied to an image (its drawing buffer kept for that) and is
// removed: a printed WebGL canvas may come out blank, an image always prints.
import { useEffect, useRef, useState } from 'react';
import { Map as MapLibreMap, setWorkerUrl, type GeoJSONSource } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { FeatureCollection } from 'geojson';
import { useT } from '../i18n/index.tsx';
import { TRACE_SOURCE } from '../layers/overlays.ts';
import { LOCAL_IDEOGRAPH_FONT_FAMILY } from '../map/fonts.ts';
import { buildStyle } from '../map/style.ts';

setWorkerUrl(workerUrl);

/** Drawn at this size (CSS px) and scaled to the page's width in print. */
const WIDTH = 1200;
const HEIGHT = 760;

interface Props {
  bbox: [number, number, number, number];
  trace: FeatureCollection | null;
  onDone(ok: boolean): void;
}

export function ReportMap({ bbox, trace, onDone }: Props) {
  const t = useT();
  const container = useRef<HTMLDivElement>(null);
  const [image, setImage] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!container.current) return;
    const map = new MapLibreMap({
      container: container.current,
      style: buildStyle({ theme: 'light', pipeColor: 'sgrade', visible: new Set(['basemap', 'pipes', 'manholes']), opacity: {} }),
      bounds: bbox,
      fitBoundsOptions: { padding: 24, maxZoom: 18.5 },
      interactive: false,
      attributionControl: false,
      localIdeographFontFamily: LOCAL_IDEOGRAPH_FONT_FAMILY,
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      if (ok) setImage(map.getCanvas().toDataURL('image/png'));
      else setFailed(true);
      onDone(ok);
      map.remove();
    };
    map.on('load', () => {
      if (trace) (map.getSource(TRACE_SOURCE) as GeoJSONSource | undefined)?.setData(trace);
      // 'idle' after the trace is in: every tile and the overlay drawn.
      map.once('idle', () => finish(true));
    });
    map.on('error', (e) => console.warn('[report map]', e.error?.message));
    const timeout = setTimeout(() => finish(map.loaded()), 30_000);
    return () => {
      clearTimeout(timeout);
      if (!done) {
        done = true;
        map.remove();
      }
    };
  }, [bbox, trace]);

  if (image) return <img className="report-map" data-testid="report-map" src={image} alt={t('report.mapAlt')} />;
  if (failed) return <p className="report-note">{t('report.mapFailed')}</p>;
  return <div className="report-map-render" ref={container} style={{ width: WIDTH, height: HEIGHT }} />;
}
