// The scene an operator pinned on this wall's browser: it survives a reload and the kiosk's nightly restart.
import { isScene, SCENES } from '../wall/state/scenes.ts';

const KEY = 'onemap.wall.scene';

export function readPinnedScene(): (typeof SCENES)[number] | null {
  try {
    const v = localStorage.getItem(KEY);
    return isScene(v) ? v : null;
  } catch {
    return null; // storage blocked
  }
}

export function writePinnedScene(scene: (typeof SCENES)[number] | null): void {
  try {
    if (scene) localStorage.setItem(KEY, scene);
    else localStorage.removeItem(KEY);
  } catch {
    /* not persisted */
  }
}
