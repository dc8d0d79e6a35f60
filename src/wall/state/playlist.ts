// The wall's playlist: what it rotates through and how often, from its URL. Units: the unit the wall shows,
// then each unit below it in code order (the district, then each street; a street, then each community).
// Scenes: 防汛 → 城管 → 视频 → 全部, unless one is pinned. `?rotate=units|scenes|both|none&every=60`
// (`interval=` is the older name of `every`); without `rotate` the units rotate, as they always did.
import type { WallUnit } from '../../api/wall.ts';
import type { Bbox } from '../map/WallMap.tsx';
import { SCENES, type Scene } from './scenes.ts';

export interface WallView {
  /** The wall's own unit ('district', or its code) or the code of a unit below it. */
  id: string;
  /** The unit's name; null for the wall's own unit (the heading names it). */
  name: string | null;
  bbox: Bbox;
}

export const DEFAULT_INTERVAL_S = 20;

export function viewsOf(unit: WallUnit | null): WallView[] {
  if (!unit) return [];
  const own: WallView = { id: unit.level === 'district' ? 'district' : unit.code, name: null, bbox: unit.bbox };
  return [own, ...unit.children.map((c) => ({ id: c.code, name: c.name, bbox: c.bbox }))];
}

export interface Rotation {
  units: boolean;
  scenes: boolean;
  intervalS: number;
}

/** `?rotate=` and `?every=` (5 s – 1 h; `interval=` also); anything else gives the default. */
export function rotationFrom(search: string): Rotation {
  const q = new URLSearchParams(search);
  const v = Number(q.get('every') ?? q.get('interval'));
  const intervalS = Number.isFinite(v) && v >= 5 && v <= 3600 ? v : DEFAULT_INTERVAL_S;
  const rotate = q.get('rotate');
  return {
    units: rotate === null || rotate === 'units' || rotate === 'both',
    scenes: rotate === 'scenes' || rotate === 'both',
    intervalS,
  };
}

/**
 * The steps of the playlist: each view in each scene. With both rotating, every view is shown in every
 * scene before the next view; a pinned scene (or scenes not rotating) keeps `scene` throughout.
 */
export function stepsOf(views: readonly WallView[], r: Rotation, scene: Scene, pinned: boolean): { view: WallView; scene: Scene }[] {
  const scenes: readonly Scene[] = r.scenes && !pinned ? SCENES : [scene];
  const shown = r.units ? views : views.slice(0, 1);
  return shown.flatMap((view) => scenes.map((s) => ({ view, scene: s })));
}
