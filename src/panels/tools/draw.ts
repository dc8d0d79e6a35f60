// A small drawing state machine on the MapLibre map for the tools: lines, polygons and circles.
// Click adds a vertex, moving shows the next edge, double-click or Enter finishes, Backspace undoes,
// Escape cancels. The shape is drawn through the style's draw source (layers/overlays.ts).
import type { GeoJSONSource, Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import type { Feature, Position } from 'geojson';
import circle from '@turf/circle';
import distance from '@turf/distance';
import { DRAW_SOURCE } from '../../layers/overlays.ts';

export type DrawKind = 'line' | 'polygon' | 'circle';

export interface Shape {
  kind: DrawKind;
  /** Vertices (line, polygon) or [centre, edge] (circle). */
  points: Position[];
  /** The moving pointer while drawing. */
  cursor: Position | null;
  done: boolean;
}

export interface DrawOptions {
  kind: DrawKind;
  color: string;
  onChange(shape: Shape): void;
  /** Extra features to draw (measurement labels) for a shape. */
  annotate?(shape: Shape): Feature[];
}

export function circleRadiusM(shape: Shape): number {
  const [c, e] = [shape.points[0], shape.points[1] ?? shape.cursor];
  return c && e ? distance(c, e, { units: 'kilometers' }) * 1000 : 0;
}

/** The shape as GeoJSON geometry features, with the pointer as the provisional next vertex. */
export function shapeFeatures(shape: Shape, color: string): Feature[] {
  const pts = shape.done || !shape.cursor ? shape.points : [...shape.points, shape.cursor];
  const props = { color };
  const out: Feature[] = [];
  if (shape.kind === 'circle') {
    const r = circleRadiusM(shape);
    if (shape.points[0] && r > 0) {
      out.push({ ...circle(shape.points[0], r / 1000, { steps: 64 }), properties: props });
      out.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: [shape.points[0], shape.points[1] ?? shape.cursor!] }, properties: props });
    }
    if (shape.points[0]) out.push({ type: 'Feature', geometry: { type: 'Point', coordinates: shape.points[0] }, properties: props });
    return out;
  }
  if (shape.kind === 'polygon' && pts.length >= 3) {
    out.push({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[...pts, pts[0]]] }, properties: props });
  } else if (pts.length >= 2) {
    out.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: pts }, properties: props });
  }
  for (const p of shape.points) out.push({ type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: props });
  return out;
}

export class DrawSession {
  private shape: Shape;
  private lastClick = { t: 0, x: 0, y: 0 };

  constructor(
    private readonly map: MapLibreMap,
    private readonly opts: DrawOptions,
  ) {
    this.shape = { kind: opts.kind, points: [], cursor: null, done: false };
    map.on('click', this.onClick);
    map.on('mousemove', this.onMove);
    map.on('dblclick', this.onDblClick);
    window.addEventListener('keydown', this.onKey);
    map.getCanvas().style.cursor = 'crosshair';
    this.draw();
  }

  get current(): Shape {
    return this.shape;
  }

  destroy(clear = true): void {
    this.map.off('click', this.onClick);
    this.map.off('mousemove', this.onMove);
    this.map.off('dblclick', this.onDblClick);
    window.removeEventListener('keydown', this.onKey);
    this.map.getCanvas().style.cursor = '';
    if (clear) this.setData([]);
  }

  /** Start over with an empty shape of the same kind. */
  reset(): void {
    this.shape = { kind: this.opts.kind, points: [], cursor: null, done: false };
    this.draw();
  }

  /** Finish programmatically (tests, the panel's button). */
  finish(): boolean {
    const s = this.shape;
    const enough = s.kind === 'line' ? s.points.length >= 2 : s.kind === 'polygon' ? s.points.length >= 3 : s.points.length >= 2;
    if (s.kind === 'circle' && s.points.length === 1 && s.cursor) s.points.push(s.cursor);
    if (!enough && !(s.kind === 'circle' && s.points.length >= 2)) return false;
    this.shape = { ...s, cursor: null, done: true };
    this.draw();
    return true;
  }

  /** Add a vertex in map coordinates (tests and keyboard entry). */
  addPoint(p: Position): void {
    if (this.shape.done) this.reset();
    this.shape = { ...this.shape, points: [...this.shape.points, p] };
    if (this.shape.kind === 'circle' && this.shape.points.length === 2) {
      this.finish();
      return;
    }
    this.draw();
  }

  private onClick = (e: MapMouseEvent) => {
    const now = performance.now();
    // The second click of a double click is the dblclick's business, not a new vertex.
    const isRepeat = now - this.lastClick.t < 350 && Math.hypot(e.point.x - this.lastClick.x, e.point.y - this.lastClick.y) < 6;
    this.lastClick = { t: now, x: e.point.x, y: e.point.y };
    if (isRepeat) return;
    this.addPoint([e.lngLat.lng, e.lngLat.lat]);
  };

  private onMove = (e: MapMouseEvent) => {
    if (this.shape.done) return;
    this.shape = { ...this.shape, cursor: [e.lngLat.lng, e.lngLat.lat] };
    this.draw();
  };

  private onDblClick = (e: MapMouseEvent) => {
    e.preventDefault();
    this.finish();
  };

  private onKey = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement | null;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)) return;
    if (e.key === 'Enter') this.finish();
    else if (e.key === 'Escape') this.reset();
    else if (e.key === 'Backspace' && !this.shape.done && this.shape.points.length) {
      this.shape = { ...this.shape, points: this.shape.points.slice(0, -1) };
      this.draw();
    }
  };

  private draw(): void {
    const features = [...shapeFeatures(this.shape, this.opts.color), ...(this.opts.annotate?.(this.shape) ?? [])];
    this.setData(features);
    this.opts.onChange(this.shape);
  }

  private setData(features: Feature[]): void {
    (this.map.getSource(DRAW_SOURCE) as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features });
  }
}
