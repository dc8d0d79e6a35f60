// Discovers the layers: every module in tiles/ exports one TileLayer as default, which is also the layer's
// definition on the server (its OGC collections, fields, related records). A new layer is a new file.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MODULE_EXT } from '../root.ts';
import type { TileLayer } from './types.ts';

export const TILES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../tiles');

export async function discoverLayers(dir = TILES_DIR): Promise<Map<string, TileLayer>> {
  // The built server's tiles/ holds the same modules as .js.
  const files = readdirSync(dir).filter((f) => /^[a-z][a-z0-9_]*$/.test(path.basename(f, MODULE_EXT)) && f.endsWith(MODULE_EXT)).sort();
  const layers = new Map<string, TileLayer>();
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { default?: TileLayer };
    const layer = mod.default;
    if (!layer || typeof layer.tile !== 'function') throw new Error(`tiles/${f} must export a TileLayer as default`);
    if (layer.id !== path.basename(f, MODULE_EXT)) throw new Error(`tiles/${f} declares id "${layer.id}"; the id must match the file name`);
    if (!Array.isArray(layer.collections)) throw new Error(`tiles/${f} must list its collections (an empty list when it publishes none)`);
    layers.set(layer.id, layer);
  }
  return layers;
}

/**
 * The layers of tiles/, loaded once when this module is first imported (a top-level await: everything
 * that lists layers, such as features/collections.ts, can then do so synchronously). A module that tiles/
 * imports must therefore never import this one, directly or not, or the two would wait on each other.
 */
export const TILE_LAYERS: ReadonlyMap<string, TileLayer> = await discoverLayers();
