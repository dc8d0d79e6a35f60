// The scene an operator pinned on this wall's browser: it survives a reload and the kiosk's nightly restart.
import { isScene, type Scene } from '../wall/state/scenes.ts';

const KEY = 'onemap.wall.scene';

export function readPinnedScene(): Scene | null {
  try {
    const v = localStorage.getItem(KEY);
    return isScene(v) ? v : null;
  } catch {
    return null; // storage blocked
  }
}

export function writePinnedScene(scene: Scene | null): void {
  try {
    if (scene) localStorage.setItem(KEY, scene);
    else localStorage.removeItem(KEY);
  } catch {
    /* not persisted */
  }
}
