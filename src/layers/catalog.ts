// The layers, found rather than listed: every module beside this file whose default export is a layer
// module (types.ts: a tile layer with its style layers, legend and identify, or a deck.gl layer described
// only by what the tree needs, so that the first page does not load deck.gl to draw the panel). The tree,
// the map's sources and draw order, identify and the selection tool all derive from them: a new layer is
// a new file here (and tiles/<id>.ts on the server). A module must not import this file (it would be
// found while this file is still being evaluated).
import type { MessageKey } from '../i18n/index.tsx';
import type { DeckLayerId } from './deck/types.ts';
import { FOLDERS, type FolderId, type LayerModule, type StyleContext, type TileLayerModule } from './types.ts';

export type { DeckLayerId } from './deck/types.ts';
export type { DeckLayerModule, FeatureInfo, LegendItem, LayerModule, StyleContext, TileLayerModule } from './types.ts';

const isLayerModule = (m: unknown): m is LayerModule =>
  typeof m === 'object' && m !== null && ((m as LayerModule).kind === 'tile' || (m as LayerModule).kind === 'deck') && typeof (m as LayerModule).legend === 'function';

function discover(): LayerModule[] {
  const found = import.meta.glob<{ default?: unknown }>('./*.ts', { eager: true });
  const modules: LayerModule[] = [];
  for (const [file, mod] of Object.entries(found)) {
    const m = mod.default;
    if (!isLayerModule(m)) continue;
    // As on the server (tiles/<id>.ts): the file is named after the layer, so ids cannot collide.
    if (file !== `./${m.id}.ts`) throw new Error(`src/layers/${file.slice(2)} declares layer "${m.id}"; the id must match the file name`);
    modules.push(m);
  }
  for (const m of modules) {
    if (m.parent && !modules.some((p) => p.id === m.parent)) throw new Error(`layer ${m.id}: no parent layer "${m.parent}"`);
  }
  return modules;
}

const MODULES = discover();
const byOrder = <K extends 'treeOrder' | 'drawOrder'>(k: K) => (a: { id: string } & Record<K, number>, b: { id: string } & Record<K, number>) =>
  a[k] - b[k] || a.id.localeCompare(b.id);

/** Tile modules in draw order, bottom to top: areas, then lines, then points, the most urgent last. */
export const TILE_LAYERS: readonly TileLayerModule[] = MODULES.filter((m): m is TileLayerModule => m.kind === 'tile').sort(byOrder('drawOrder'));

/** A layer's id: also its token in the URL's `layers=` and, for a tile layer, its source's and server layer's id. */
export type LayerId = string;
export type TileLayerId = string;

/** Every layer a user can switch, in the tree's order. */
export type CatalogEntry = LayerModule;

export interface CatalogFolder {
  id: FolderId;
  labelKey: MessageKey;
  entries: CatalogEntry[];
}

/** The layer tree: the folders in their order, each with its layers in theirs. */
export const CATALOG: readonly CatalogFolder[] = FOLDERS.map((f) => ({
  id: f.id,
  labelKey: f.labelKey,
  entries: MODULES.filter((m) => m.folder === f.id).sort(byOrder('treeOrder')),
}));

export const ALL_ENTRIES: readonly CatalogEntry[] = CATALOG.flatMap((f) => f.entries);
export const ALL_LAYER_IDS: readonly LayerId[] = ALL_ENTRIES.map((e) => e.id);
export const DECK_LAYER_IDS: readonly DeckLayerId[] = ALL_ENTRIES.flatMap((e) => (e.kind === 'deck' ? [e.id] : []));
/** Tile layers whose features can be clicked, opened and selected (they have a collection on the server), in the tree's order. */
export const FEATURE_LAYERS: readonly TileLayerModule[] = ALL_ENTRIES.filter((e): e is TileLayerModule => e.kind === 'tile' && !!e.features);

export const entryById = (id: LayerId): CatalogEntry => ALL_ENTRIES.find((e) => e.id === id)!;
export const isDeckLayer = (id: string): id is DeckLayerId => (DECK_LAYER_IDS as readonly string[]).includes(id);
export const tileModule = (id: string): TileLayerModule | undefined => TILE_LAYERS.find((m) => m.id === id);

/** MapLibre style layer ids of a tile module, geometry and labels together. */
export function styleLayerIds(m: TileLayerModule, ctx: StyleContext): string[] {
  return [...m.layers(ctx), ...(m.labels?.(ctx) ?? [])].map((l) => l.id);
}

/** A layer draws when it is on and, for a child, its parent is on too. */
export function isDrawn(id: LayerId, visible: ReadonlySet<string>): boolean {
  const e = entryById(id);
  return visible.has(id) && (!e.parent || visible.has(e.parent));
}
