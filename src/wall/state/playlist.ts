// The views the wall rotates through: the whole district, then each street in code order. A street's
// view is its outline's bounding box; the district's is all of them together.
import bbox from '@turf/bbox';
import type { StreetFeature } from '../../api/wall.ts';
import type { Bbox } from '../map/WallMap.tsx';

export interface WallView {
  /** 'district' or the street's 9-digit code. */
  id: string;
  /** The street's name; null for the district (its label is translated). */
  name: string | null;
  bbox: Bbox;
}

export const DEFAULT_INTERVAL_S = 20;

export function viewsOf(streets: readonly StreetFeature[]): WallView[] {
  const views: WallView[] = streets.map((s) => ({ id: s.code, name: s.name, bbox: bbox(s.geometry) as Bbox }));
  if (!views.length) return [];
  const all: Bbox = [
    Math.min(...views.map((v) => v.bbox[0])), Math.min(...views.map((v) => v.bbox[1])),
    Math.max(...views.map((v) => v.bbox[2])), Math.max(...views.map((v) => v.bbox[3])),
  ];
  return [{ id: 'district', name: null, bbox: all }, ...views];
}

/** `?interval=` in seconds (5 s – 1 h); anything else gives the default. */
export function intervalFrom(search: string): number {
  const v = Number(new URLSearchParams(search).get('interval'));
  return Number.isFinite(v) && v >= 5 && v <= 3600 ? v : DEFAULT_INTERVAL_S;
}
