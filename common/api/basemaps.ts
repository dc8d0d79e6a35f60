// Contract of GET /api/basemaps (server/routes/basemaps.ts): the external basemaps the operator configured
// (server/basemaps.ts), which the layer panel offers besides the embedded one. The browser loads their
// tiles itself from the hosts listed here; the content security policy allows exactly those.
import { Type, type Static } from 'typebox';
import { BASEMAP_TYPES } from '../../server/basemaps.ts';
import { Nullable, StringEnum } from './common.ts';

export const ExternalBasemap = Type.Object({
  id: Type.String(),
  name_zh: Type.String(),
  name_en: Type.String(),
  type: StringEnum(BASEMAP_TYPES, { description: 'xyz or wmts: raster tiles; style: a MapLibre style' }),
  tiles: Type.Array(Type.Array(Type.String()), { description: 'Raster layers drawn one over another, each as tile URL templates ({z}/{x}/{y}) of the hosts that serve it; empty for a style' }),
  style: Nullable(Type.String({ description: 'The MapLibre style URL (type style)' })),
  attribution: Type.String(),
  maxzoom: Type.Integer({ minimum: 0, maximum: 24 }),
  origins: Type.Array(Type.String(), { description: 'Where the browser loads it from (scheme://host[:port])' }),
});
export type ExternalBasemap = Static<typeof ExternalBasemap>;

export const BasemapList = Type.Object({ items: Type.Array(ExternalBasemap, { description: 'Configured external basemaps, in the order configured; the embedded basemap is always there and not listed' }) });
export type BasemapList = Static<typeof BasemapList>;
