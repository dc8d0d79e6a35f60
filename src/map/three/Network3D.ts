// The 3D view of the network (`#view=3d`): reaches at their depth as tubes coloured by CJJ 181 grade,
// manholes as shafts from the ground to their invert, a semi-transparent ground over them. Its own
// deck.gl overlay, drawn over the map (not interleaved): everything it draws is under the ground, so
// nothing of the map may hide it, and it lives and dies with the view without touching the deck layers.
// Culled by view: each move asks /api/network/3d for the box in sight (bounded, largest pipes first).
import { MapboxOverlay } from '@deck.gl/mapbox';
import { WebMercatorViewport, type Layer, type PickingInfo } from '@deck.gl/core';
import { ColumnLayer, PathLayer, SolidPolygonLayer } from '@deck.gl/layers';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Manhole3d, Network3d, Reach3d } from '../../../common/api/network3d.ts';
import { api } from '../../api/endpoints.ts';
import { isAbort } from '../../api/client.ts';
import { recordMapError } from '../testHooks.ts';
import { reachColor, reachPath, reachWidth, shaftDepth, type Position3 } from './geometry.ts';

export type Pick3d = { kind: 'reach'; reach: Reach3d } | { kind: 'manhole'; manhole: Manhole3d };

/** Reaches (and manholes) per view: a district-wide view keeps its trunk mains, a street view all. */
const VIEW_LIMIT = 6000;
const REFETCH_MS = 150;
const GROUND: [number, number, number, number] = [128, 136, 146, 56];
const SHAFT: [number, number, number] = [150, 156, 164];

export class Network3D {
  private readonly overlay: MapboxOverlay;
  private data: Network3d = { reaches: [], manholes: [], truncated: false };
  private paths: Position3[][] = [];
  private box: number[] | null = null;
  private abort: AbortController | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;
  /** Loads answered so far (tests and the benchmark wait for the first). */
  loaded = 0;

  constructor(private readonly map: MapLibreMap, private exaggeration: number) {
    this.overlay = new MapboxOverlay({ interleaved: false, layers: [] });
    map.addControl(this.overlay);
    map.on('moveend', this.onMove);
    this.fetch();
  }

  setExaggeration(e: number): void {
    if (e === this.exaggeration) return;
    this.exaggeration = e;
    this.paths = this.data.reaches.map((r) => reachPath(r, e));
    this.render();
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.timer);
    this.abort?.abort();
    this.map.off('moveend', this.onMove);
    try {
      this.map.removeControl(this.overlay);
    } catch {
      /* the map is already gone */
    }
  }

  pick(x: number, y: number): Pick3d | null {
    return this.toPick(this.overlay.pickObject({ x, y, radius: 4 }));
  }

  counts(): { reaches: number; manholes: number; truncated: boolean; loads: number } {
    return { reaches: this.data.reaches.length, manholes: this.data.manholes.length, truncated: this.data.truncated, loads: this.loaded };
  }

  /** The screen point of a drawn reach's middle, nearest the view's centre (tests click it). */
  reachPoint(): { id: number; x: number; y: number } | null {
    const c = this.map.getCanvas();
    const w = c.clientWidth;
    const h = c.clientHeight;
    const center = this.map.getCenter();
    const vp = new WebMercatorViewport({
      width: w, height: h, longitude: center.lng, latitude: center.lat,
      zoom: this.map.getZoom(), pitch: this.map.getPitch(), bearing: this.map.getBearing(),
    });
    let best: { id: number; x: number; y: number; d: number } | null = null;
    this.data.reaches.forEach((r, i) => {
      const p = this.paths[i];
      if (p.length < 2) return;
      const a = p[0];
      const b = p[p.length - 1];
      const [x, y] = vp.project([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2]);
      if (x < 40 || y < 40 || x > w - 40 || y > h - 40) return;
      const d = Math.hypot(x - w / 2, y - h / 2);
      if (!best || d < best.d) best = { id: r.id, x, y, d };
    });
    const found = best as { id: number; x: number; y: number } | null;
    return found ? { id: found.id, x: found.x, y: found.y } : null;
  }

  private onMove = () => {
    // The shafts' width follows the zoom.
    this.render();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fetch(), REFETCH_MS);
  };

  private fetch(): void {
    const b = this.map.getBounds();
    const box = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
    // Inside the box already loaded and complete: nothing new to see.
    const had = this.box;
    if (had && !this.data.truncated && box[0] >= had[0] && box[1] >= had[1] && box[2] <= had[2] && box[3] <= had[3]) return;
    // A margin of a quarter view, so short pans stay inside what was loaded.
    const dx = (box[2] - box[0]) / 4;
    const dy = (box[3] - box[1]) / 4;
    const wanted = [box[0] - dx, box[1] - dy, box[2] + dx, box[3] + dy];
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    api.network3d(wanted, VIEW_LIMIT, abort.signal).then((d) => {
      if (this.destroyed || abort.signal.aborted) return;
      this.data = d;
      this.box = wanted;
      this.paths = d.reaches.map((r) => reachPath(r, this.exaggeration));
      this.render();
      this.loaded++;
    }, (e: unknown) => {
      if (!isAbort(e)) recordMapError(`3D network: ${(e as Error).message}`);
    });
  }

  private layers(): Layer[] {
    const ex = this.exaggeration;
    // Shafts a couple of pixels wide at any zoom, never thinner than a real manhole (about 1.4 m across).
    const metresPerPixel = (40075016.7 * Math.cos((this.map.getCenter().lat * Math.PI) / 180)) / (512 * 2 ** this.map.getZoom());
    const radius = Math.max(0.7, 1.5 * metresPerPixel);
    const index = new Map(this.data.reaches.map((r, i) => [r, i]));
    const box = this.box;
    return [
      new PathLayer<Reach3d>({
        id: 'network3d-reaches',
        data: this.data.reaches,
        getPath: (r) => this.paths[index.get(r)!],
        getColor: (r) => reachColor(r),
        getWidth: (r) => reachWidth(r),
        widthUnits: 'meters',
        widthMinPixels: 4,
        billboard: true,
        capRounded: true,
        jointRounded: true,
        pickable: true,
        autoHighlight: true,
        highlightColor: [32, 201, 255, 220],
        updateTriggers: { getPath: ex },
      }),
      new ColumnLayer<Manhole3d>({
        id: 'network3d-shafts',
        data: this.data.manholes,
        diskResolution: 10,
        radius,
        extruded: true,
        getPosition: (m) => [m.lon, m.lat, -shaftDepth(m, ex)],
        getElevation: (m) => shaftDepth(m, ex),
        getFillColor: SHAFT,
        pickable: true,
        updateTriggers: { getPosition: ex, getElevation: ex },
      }),
      // The ground, over everything drawn below it: the pipes show through, darker the deeper they lie.
      ...(box ? [new SolidPolygonLayer<[number, number][]>({
        id: 'network3d-ground',
        data: [[[box[0], box[1]], [box[2], box[1]], [box[2], box[3]], [box[0], box[3]]]],
        getPolygon: (d) => d,
        getFillColor: GROUND,
        parameters: { depthWriteEnabled: false },
      })] : []),
    ];
  }

  private render(): void {
    if (!this.destroyed) this.overlay.setProps({ layers: this.layers() });
  }

  private toPick(info: PickingInfo | null): Pick3d | null {
    if (!info?.layer || !info.object) return null;
    if (info.layer.id === 'network3d-reaches') return { kind: 'reach', reach: info.object as Reach3d };
    if (info.layer.id === 'network3d-shafts') return { kind: 'manhole', manhole: info.object as Manhole3d };
    return null;
  }
}
