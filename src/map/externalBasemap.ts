// An external basemap as style sources and layers, drawn under every layer of ours: raster XYZ/WMTS
// layers (天地图's base and its labels one over the other), or a MapLibre style's sources and layers with
// their ids prefixed. A style's text layers are left out: our style has no glyphs from outside (fonts.ts);
// the embedded labels can be drawn over it instead.
import type { LayerSpecification, SourceSpecification } from 'maplibre-gl';
import type { ActiveBasemap } from '../prefs/basemap.ts';

export const EXTERNAL_PREFIX = 'ext-';

export function externalBasemap(active: ActiveBasemap): { sources: Record<string, SourceSpecification>; layers: LayerSpecification[] } {
  const { basemap: b, style } = active;
  const prefix = `${EXTERNAL_PREFIX}${b.id}-`;
  const sources: Record<string, SourceSpecification> = {};
  const layers: LayerSpecification[] = [];
  if (b.type !== 'style') {
    b.tiles.forEach((tiles, i) => {
      sources[`${prefix}${i}`] = { type: 'raster', tiles, tileSize: 256, maxzoom: b.maxzoom, attribution: b.attribution };
      layers.push({ id: `${prefix}${i}`, type: 'raster', source: `${prefix}${i}` });
    });
    return { sources, layers };
  }
  if (!style) return { sources, layers };
  for (const [id, src] of Object.entries(style.sources ?? {})) sources[`${prefix}${id}`] = src;
  for (const l of style.layers ?? []) {
    if (l.type === 'symbol' || l.type === 'background' || l.type === 'custom' as string) continue;
    const source = 'source' in l && typeof l.source === 'string' ? { source: `${prefix}${l.source}` } : {};
    layers.push({ ...l, id: `${prefix}${l.id}`, ...source } as LayerSpecification);
  }
  return { sources, layers };
}
