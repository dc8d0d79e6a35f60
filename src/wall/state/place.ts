// The wall's unit and scene live in its URL (a kiosk is configured by its URL): `?street=` or
// `?community=`, and `?scene=`. Drilling down pushes a history entry, so the browser's back goes up again.
import type { WallPlace } from '../../api/wall.ts';
import { isScene, SCENES } from './scenes.ts';

export function placeFrom(search: string): WallPlace {
  const q = new URLSearchParams(search);
  const community = q.get('community');
  const street = q.get('street');
  if (community && /^\d{12}$/.test(community)) return { street: null, community };
  if (street && /^\d{9}$/.test(street)) return { street, community: null };
  return { street: null, community: null };
}

export function placeOfUnit(level: string, code: string): WallPlace {
  if (level === 'street') return { street: code, community: null };
  if (level === 'community') return { street: null, community: code };
  return { street: null, community: null };
}

export const placeKey = (p: WallPlace) => p.community ?? p.street ?? 'district';

export function sceneFrom(search: string): (typeof SCENES)[number] | null {
  const v = new URLSearchParams(search).get('scene');
  return isScene(v) ? v : null;
}

/** The URL of the wall with its unit and scene changed, the other settings (rotate, every, lang) kept. */
export function wallUrl(search: string, place: WallPlace, scene: (typeof SCENES)[number] | null): string {
  const q = new URLSearchParams(search);
  q.delete('street');
  q.delete('community');
  if (place.community) q.set('community', place.community);
  else if (place.street) q.set('street', place.street);
  if (scene) q.set('scene', scene);
  else q.delete('scene');
  const s = q.toString();
  return `${window.location.pathname}${s ? `?${s}` : ''}`;
}
