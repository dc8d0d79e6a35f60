// The edit mode on the MapLibre map: a click picks a feature of the layer being edited, or places a new
// one; the feature being edited is a draggable marker, and a camera also shows its field of view (the
// sector the map draws for it, src/layers/deck/fov.ts) with a handle at the end of its heading that turns
// it when dragged. The panel (EditPanel.tsx) owns the values; this draws them and reports gestures.
import { Marker, type GeoJSONSource, type Map as MapLibreMap, type MapMouseEvent } from 'maplibre-gl';
import type { Feature } from 'geojson';
import { DRAW_SOURCE } from '../../layers/overlays.ts';
import { fovSector } from '../../layers/deck/fov.ts';
import { layerColors } from '../../map/palette.ts';
import { sourceOfLayer } from '../../map/tileSources.ts';

export interface EditPoint {
  lon: number;
  lat: number;
  /** A camera's view: heading, width and range. */
  view?: { azimuth: number; hfov: number; range_m: number };
}

export interface EditMapEvents {
  /** A click on a feature of the layer: its id. */
  onPick(id: number): void;
  /** A click on the map elsewhere: a new feature here. */
  onPlace(lon: number, lat: number): void;
  onMove(lon: number, lat: number): void;
  onHeading(deg: number): void;
}

const M_PER_DEG_LAT = 111_132.954;
const rad = (d: number) => (d * Math.PI) / 180;

/** The point `m` metres from (lon, lat) at bearing `deg`; a flat approximation, centimetres off at a camera's range. */
export function offset(lon: number, lat: number, deg: number, m: number): [number, number] {
  return [lon + (Math.sin(rad(deg)) * m) / (M_PER_DEG_LAT * Math.cos(rad(lat))), lat + (Math.cos(rad(deg)) * m) / M_PER_DEG_LAT];
}

/** The bearing from one point to another, degrees clockwise from north in [0, 360). */
export function bearing(from: [number, number], to: [number, number]): number {
  const dx = (to[0] - from[0]) * Math.cos(rad(from[1]));
  const dy = to[1] - from[1];
  return ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
}

/** Pixels around a click within which a feature counts as clicked. */
const PICK_PX = 8;

export class EditMap {
  private marker: Marker | null = null;
  private handle: Marker | null = null;
  private point: EditPoint | null = null;

  constructor(
    private readonly map: MapLibreMap,
    private layer: string,
    private readonly events: EditMapEvents,
  ) {
    map.on('click', this.onClick);
    map.getCanvas().style.cursor = 'crosshair';
  }

  setLayer(layer: string): void {
    this.layer = layer;
  }

  destroy(): void {
    this.map.off('click', this.onClick);
    this.map.getCanvas().style.cursor = '';
    this.show(null);
  }

  /** Draws the feature being edited (null: none). */
  show(p: EditPoint | null): void {
    this.point = p;
    if (!p) {
      this.marker?.remove();
      this.handle?.remove();
      this.marker = this.handle = null;
      this.setData([]);
      return;
    }
    if (!this.marker) {
      this.marker = new Marker({ draggable: true, color: layerColors.draw, className: 'edit-marker' }).setLngLat([p.lon, p.lat]).addTo(this.map);
      this.marker.getElement().dataset.testid = 'edit-marker';
      this.marker.on('drag', () => this.dragged());
    } else this.marker.setLngLat([p.lon, p.lat]);
    if (p.view) {
      const end = offset(p.lon, p.lat, p.view.azimuth, p.view.range_m);
      if (!this.handle) {
        const el = document.createElement('div');
        el.className = 'edit-heading-handle';
        el.dataset.testid = 'edit-heading-handle';
        this.handle = new Marker({ element: el, draggable: true }).setLngLat(end).addTo(this.map);
        this.handle.on('drag', () => this.turned());
      } else this.handle.setLngLat(end);
    } else {
      this.handle?.remove();
      this.handle = null;
    }
    this.draw();
  }

  private dragged(): void {
    const { lng, lat } = this.marker!.getLngLat();
    if (this.point) this.point = { ...this.point, lon: lng, lat };
    this.draw();
    this.events.onMove(lng, lat);
  }

  private turned(): void {
    if (!this.point) return;
    const { lng, lat } = this.handle!.getLngLat();
    this.events.onHeading(Math.round(bearing([this.point.lon, this.point.lat], [lng, lat])) % 360);
  }

  /** The camera's sector, and the line to its heading handle. */
  private draw(): void {
    const p = this.point;
    if (!p?.view) return this.setData([]);
    const color = layerColors.draw;
    const sector = fovSector({ id: 'edit', status: 'online', lon: p.lon, lat: p.lat, azimuth: p.view.azimuth, hfov: p.view.hfov, range_m: p.view.range_m });
    this.setData([
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: [sector.ring] }, properties: { color, role: 'edit-fov' } },
      { type: 'Feature', geometry: { type: 'LineString', coordinates: [[p.lon, p.lat], offset(p.lon, p.lat, p.view.azimuth, p.view.range_m)] }, properties: { color } },
    ]);
  }

  private setData(features: Feature[]): void {
    (this.map.getSource(DRAW_SOURCE) as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features });
  }

  private onClick = (e: MapMouseEvent) => {
    const source = sourceOfLayer(this.layer);
    const layers = (this.map.getStyle().layers ?? [])
      .filter((l) => 'source' in l && l.source === source && l['source-layer'] === this.layer && l.type !== 'symbol').map((l) => l.id);
    const { x, y } = e.point;
    const hits = layers.length ? this.map.queryRenderedFeatures([[x - PICK_PX, y - PICK_PX], [x + PICK_PX, y + PICK_PX]], { layers }) : [];
    // A cluster is many features: only a single one is edited.
    const hit = hits.find((f) => f.properties.count === undefined && (f.id ?? f.properties.id) !== undefined);
    if (hit) this.events.onPick(Number(hit.id ?? hit.properties.id));
    else this.events.onPlace(e.lngLat.lng, e.lngLat.lat);
  };
}
