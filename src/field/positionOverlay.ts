// Where I am and where I am going, drawn over the field map: the accuracy circle and the line to the
// target as GeoJSON layers (they scale with the map), my position and the target as DOM markers (a
// marker stays crisp, sits above every layer and can carry a test id).
import circle from '@turf/circle';
import { Marker, type GeoJSONSource, type Map as MapLibreMap } from 'maplibre-gl';
import type { Feature, FeatureCollection } from 'geojson';

const SOURCE = 'field-position';

export interface OverlayState {
  me: { lon: number; lat: number; accuracy: number; heading: number | null } | null;
  target: { lon: number; lat: number } | null;
  /** The place chosen for a report (a tap on the map or the GPS fix). */
  pin: { lon: number; lat: number } | null;
}

function features(s: OverlayState): FeatureCollection {
  const out: Feature[] = [];
  if (s.me && s.me.accuracy > 0) {
    out.push({ ...circle([s.me.lon, s.me.lat], Math.min(s.me.accuracy, 5000), { steps: 48, units: 'meters' }), properties: { role: 'accuracy' } });
  }
  if (s.me && s.target) {
    out.push({ type: 'Feature', properties: { role: 'route' }, geometry: { type: 'LineString', coordinates: [[s.me.lon, s.me.lat], [s.target.lon, s.target.lat]] } });
  }
  return { type: 'FeatureCollection', features: out };
}

function element(className: string, testId: string, label: string): HTMLElement {
  const el = document.createElement('div');
  el.className = className;
  el.dataset.testid = testId;
  el.setAttribute('aria-label', label);
  el.setAttribute('role', 'img');
  return el;
}

export class PositionOverlay {
  private state: OverlayState = { me: null, target: null, pin: null };
  private readonly me: Marker;
  private readonly target: Marker;
  private readonly pin: Marker;
  private readonly onStyle = () => this.ensure();

  constructor(private readonly map: MapLibreMap, labels: { me: string; target: string; pin: string }) {
    const meEl = element('fm-me', 'field-me-marker', labels.me);
    meEl.appendChild(document.createElement('span')).className = 'fm-me-heading';
    this.me = new Marker({ element: meEl });
    this.target = new Marker({ element: element('fm-target', 'field-target-marker', labels.target), anchor: 'bottom' });
    this.pin = new Marker({ element: element('fm-pin', 'field-report-pin', labels.pin), anchor: 'bottom' });
    map.on('styledata', this.onStyle);
    this.ensure();
  }

  /** The GeoJSON layers, added once the style is there (and again after a fresh style). */
  private ensure(): void {
    try {
      if (!this.map.getSource(SOURCE)) {
        this.map.addSource(SOURCE, { type: 'geojson', data: features(this.state) });
        this.map.addLayer({ id: 'field-accuracy-fill', type: 'fill', source: SOURCE, filter: ['==', ['get', 'role'], 'accuracy'], paint: { 'fill-color': '#1c7ed6', 'fill-opacity': 0.12 } });
        this.map.addLayer({ id: 'field-accuracy-line', type: 'line', source: SOURCE, filter: ['==', ['get', 'role'], 'accuracy'], paint: { 'line-color': '#1c7ed6', 'line-width': 1.2, 'line-opacity': 0.6 } });
        this.map.addLayer({
          id: 'field-route', type: 'line', source: SOURCE, filter: ['==', ['get', 'role'], 'route'],
          layout: { 'line-cap': 'round' },
          paint: { 'line-color': '#e8590c', 'line-width': 4, 'line-dasharray': [1.5, 1.5] },
        });
      }
    } catch {
      /* style still loading: 'styledata' calls again */
    }
  }

  update(next: OverlayState): void {
    this.state = next;
    this.ensure();
    (this.map.getSource(SOURCE) as GeoJSONSource | undefined)?.setData(features(next));
    place(this.me, this.map, next.me);
    place(this.target, this.map, next.target);
    place(this.pin, this.map, next.pin);
    const heading = this.me.getElement().querySelector<HTMLElement>('.fm-me-heading');
    if (heading) {
      heading.style.display = next.me?.heading === null || next.me?.heading === undefined ? 'none' : '';
      heading.style.transform = `rotate(${next.me?.heading ?? 0}deg)`;
    }
  }

  destroy(): void {
    this.map.off('styledata', this.onStyle);
    this.me.remove();
    this.target.remove();
    this.pin.remove();
  }
}

function place(marker: Marker, map: MapLibreMap, at: { lon: number; lat: number } | null): void {
  if (!at) {
    marker.remove();
    return;
  }
  marker.setLngLat([at.lon, at.lat]);
  if (!marker.getElement().isConnected) marker.addTo(map);
}
