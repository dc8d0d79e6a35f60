// What each feature of a basemap file becomes: a road of a class, a water body of a kind, a building with
// its height, a place label — or nothing (footpaths, landuse, untagged nodes). OSM features are told by
// their tags (GDAL's OSM driver gives the common keys as columns and the rest as `other_tags`, an hstore
// text); a surveying office's layers by the layer's name (道路, 水系, 建筑…), else by geometry, and their
// columns in Chinese or English (名称, 道路等级, 层数, 高度…). Pure: runs in the import worker.
import type { RoadClass, WaterKind } from '../../../common/enums.ts';

export type LabelKind = 'district' | 'street' | 'community' | 'water' | 'poi';

export type BasemapFeature =
  | { table: 'roads'; class: RoadClass; name: string | null; geometry: GeoJSON.Geometry }
  | { table: 'water'; kind: WaterKind; name: string | null; geometry: GeoJSON.Geometry; width_m?: number }
  | { table: 'buildings'; name: string | null; height_m: number | null; levels: number | null; geometry: GeoJSON.Geometry }
  | { table: 'labels'; kind: LabelKind; name: string; rank: number; minzoom: number; geometry: GeoJSON.Geometry };

/** A feature as read: the layer of the file it came from, its columns, its geometry in WGS84. */
export interface SourceFeature {
  source: string;
  properties: Record<string, unknown>;
  geometry: GeoJSON.Geometry | null;
}

export type Classified = BasemapFeature | { skip: string };

// ---- OSM -------------------------------------------------------------------------------------------

/** GDAL's `other_tags`: "k"=>"v","k2"=>"v2", with \" and \\ escaped. */
export function parseOtherTags(text: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof text !== 'string') return out;
  const re = /"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out[m[1].replace(/\\(.)/g, '$1')] = m[2].replace(/\\(.)/g, '$1');
  return out;
}

const ROAD_BY_HIGHWAY: Record<string, RoadClass> = {
  motorway: 'trunk', motorway_link: 'trunk', trunk: 'trunk', trunk_link: 'trunk',
  primary: 'primary', primary_link: 'primary',
  secondary: 'secondary', secondary_link: 'secondary', tertiary: 'secondary', tertiary_link: 'secondary',
  residential: 'residential', unclassified: 'residential', living_street: 'residential',
};

/** Waterway lines become water areas of about their width (the water table holds areas). */
const WATERWAY: Record<string, { kind: WaterKind; width_m: number }> = {
  river: { kind: 'river', width_m: 30 }, canal: { kind: 'channel', width_m: 8 },
  stream: { kind: 'channel', width_m: 3 }, drain: { kind: 'channel', width_m: 3 }, ditch: { kind: 'channel', width_m: 2 },
};

const PLACE: Record<string, { kind: LabelKind; rank: number; minzoom: number }> = {
  city: { kind: 'district', rank: 1, minzoom: 0 }, district: { kind: 'district', rank: 1, minzoom: 0 }, borough: { kind: 'district', rank: 1, minzoom: 0 },
  suburb: { kind: 'street', rank: 2, minzoom: 11 }, town: { kind: 'street', rank: 2, minzoom: 11 }, subdistrict: { kind: 'street', rank: 2, minzoom: 11 },
  quarter: { kind: 'community', rank: 4, minzoom: 14 }, neighbourhood: { kind: 'community', rank: 4, minzoom: 14 }, village: { kind: 'community', rank: 4, minzoom: 14 },
};

/** Keys that make a named point a place worth a label. */
const POI_KEYS = ['amenity', 'tourism', 'leisure', 'historic', 'railway', 'public_transport', 'shop', 'office'];

const nameOf = (t: Record<string, string>) => t['name:zh'] || t['name:zh-Hans'] || t.name || null;

function osmTags(p: Record<string, unknown>): Record<string, string> {
  const tags = parseOtherTags(p.other_tags);
  for (const [k, v] of Object.entries(p)) if (k !== 'other_tags' && v !== null && v !== undefined && v !== '') tags[k] = String(v);
  return tags;
}

export function classifyOsm(f: SourceFeature): Classified {
  if (!f.geometry) return { skip: 'no geometry' };
  const t = osmTags(f.properties);
  const name = nameOf(t);
  if (f.source === 'points') {
    if (!name) return { skip: 'point without a name' };
    const place = PLACE[t.place ?? ''];
    if (place) return { table: 'labels', name, ...place, geometry: f.geometry };
    if (POI_KEYS.some((k) => t[k])) return { table: 'labels', kind: 'poi', name, rank: 8, minzoom: 16, geometry: f.geometry };
    return { skip: 'named point of no kind shown' };
  }
  if (f.source === 'lines') {
    const road = ROAD_BY_HIGHWAY[t.highway ?? ''];
    if (road) return { table: 'roads', class: road, name, geometry: f.geometry };
    const ww = WATERWAY[t.waterway ?? ''];
    if (ww) return { table: 'water', kind: ww.kind, name, geometry: f.geometry, width_m: Number(t.width) > 0 && Number(t.width) < 500 ? Number(t.width) : ww.width_m };
    return { skip: t.highway ? `highway=${t.highway} (not drawn)` : 'line of no kind shown' };
  }
  if (f.source === 'multipolygons') {
    if (t.building && t.building !== 'no') return { table: 'buildings', name, height_m: metres(t.height), levels: levels(t['building:levels']), geometry: f.geometry };
    const kind = osmWaterKind(t);
    if (kind) return { table: 'water', kind, name, geometry: f.geometry };
    return { skip: 'area of no kind shown' };
  }
  return { skip: `${f.source} (relations) are not drawn` };
}

function osmWaterKind(t: Record<string, string>): WaterKind | null {
  const water = t.water ?? '';
  if (t.natural === 'water' || t.waterway === 'riverbank' || t.landuse === 'reservoir' || t.landuse === 'basin') {
    if (water === 'river' || t.waterway === 'riverbank') return 'river';
    if (['canal', 'ditch', 'drain', 'stream'].includes(water)) return 'channel';
    return 'lake';
  }
  return null;
}

// ---- values shared by both sources ------------------------------------------------------------------

/** "21", "21 m", "21米", "21.5m" → 21; nonsense or out of range → null. */
export function metres(v: unknown): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(m|米|metres?|meters?)?\s*$/i.exec(String(v ?? ''));
  const n = m ? Number(m[1]) : NaN;
  return n > 0 && n < 1000 ? n : null;
}

/** "6", "6层", "6F" → 6. */
export function levels(v: unknown): number | null {
  const m = /^\s*(\d+)\s*(层|f|floors?|levels?)?\s*$/i.exec(String(v ?? ''));
  const n = m ? Number(m[1]) : NaN;
  return Number.isInteger(n) && n > 0 && n < 300 ? n : null;
}

// ---- a surveying office's layers ---------------------------------------------------------------------

export type SurveyRole = 'roads' | 'water' | 'buildings' | 'labels';

const ROLE_BY_NAME: [SurveyRole, RegExp][] = [
  ['buildings', /build|house|建筑|房屋|楼|房/i],
  ['water', /water|river|lake|hydro|水系|河流|湖泊|水域|水体|河湖|水面/i],
  ['roads', /road|highway|street_?line|道路|路网|路线|中心线/i],
  ['labels', /label|place|poi|地名|注记|兴趣点/i],
];

const COLUMNS = {
  name: ['name:zh', 'name', '名称', '名字', '道路名称', '路名', '河流名称', '水系名称', '建筑名称', '建筑物名称', '地名', '注记', 'mc', 'text'],
  class: ['class', 'fclass', 'type', 'highway', 'kind', 'grade', 'level', '等级', '道路等级', '类型', '类别', '道路类型', '水系类型', 'dldj', 'lx'],
  height: ['height', 'height_m', '高度', '建筑高度', '楼高', 'jzgd', 'gd'],
  levels: ['levels', 'floors', 'building:levels', 'storeys', '层数', '楼层数', '楼层', '地上层数', 'cs'],
} as const;

/** The column of the properties that names `what` (first synonym present, compared without case). */
export function columnFor(headers: readonly string[], what: keyof typeof COLUMNS): string | null {
  const lower = new Map(headers.map((h) => [h.trim().toLowerCase(), h]));
  for (const s of COLUMNS[what]) {
    const h = lower.get(s.toLowerCase());
    if (h !== undefined) return h;
  }
  return null;
}

type GeometryFamily = 'point' | 'line' | 'polygon' | 'other';
export const familyOf = (g: GeoJSON.Geometry | null): GeometryFamily =>
  !g ? 'other' : /Point/.test(g.type) ? 'point' : /LineString/.test(g.type) ? 'line' : /Polygon/.test(g.type) ? 'polygon' : 'other';

/** What a file's layer holds: by its name, else by its geometry (polygons with heights are buildings). */
export function surveyRole(source: string, family: GeometryFamily, headers: readonly string[]): SurveyRole | null {
  const byName = ROLE_BY_NAME.find(([, re]) => re.test(source))?.[0];
  if (byName) return byName;
  if (family === 'line') return 'roads';
  if (family === 'point') return 'labels';
  if (family === 'polygon') return columnFor(headers, 'height') || columnFor(headers, 'levels') ? 'buildings' : 'water';
  return null;
}

const ROAD_WORDS: [RoadClass, RegExp][] = [
  ['trunk', /^(trunk|motorway|expressway|freeway)|快速路|高速/i],
  ['primary', /^primary|主干/i],
  ['secondary', /^(secondary|tertiary)|次干/i],
  ['residential', /^(residential|unclassified|living_street|service|minor|local)|支路|街巷|小区|巷/i],
];

/** A road class from a surveying value (CJJ 37: 快速路, 主干路, 次干路, 支路) or an OSM-like word. */
export function roadClass(v: unknown): RoadClass | null {
  const s = String(v ?? '').trim();
  return ROAD_WORDS.find(([, re]) => re.test(s))?.[0] ?? null;
}

/** A water kind from a value (河流, 湖泊, 水渠…), else from the name's last character (长江, 东湖, 巡司河, 罗家港). */
export function waterKind(v: unknown, name: string | null): WaterKind {
  const s = `${v ?? ''}`.trim();
  if (/river|江|河/i.test(s)) return 'river';
  if (/lake|pond|reservoir|湖|塘|水库|池/i.test(s)) return 'lake';
  if (/canal|channel|drain|ditch|渠|沟|港|明渠/i.test(s)) return 'channel';
  if (name && /[江河]$/.test(name)) return 'river';
  if (name && /[港渠沟]$/.test(name)) return 'channel';
  return 'lake';
}

export interface SurveyLayer {
  role: SurveyRole;
  name: string | null;
  class: string | null;
  height: string | null;
  levels: string | null;
}

/** How one layer of a surveying file is read: its role and the columns that say what. */
export function surveyLayer(source: string, family: GeometryFamily, headers: readonly string[]): SurveyLayer | null {
  const role = surveyRole(source, family, headers);
  if (!role) return null;
  return { role, name: columnFor(headers, 'name'), class: columnFor(headers, 'class'), height: columnFor(headers, 'height'), levels: columnFor(headers, 'levels') };
}

export function classifySurvey(f: SourceFeature, layer: SurveyLayer, unknownClasses: Map<string, number>): Classified {
  if (!f.geometry) return { skip: 'no geometry' };
  const p = f.properties;
  const text = (col: string | null) => (col && p[col] !== null && p[col] !== undefined && String(p[col]).trim() !== '' ? String(p[col]).trim() : null);
  const name = text(layer.name);
  const family = familyOf(f.geometry);
  switch (layer.role) {
    case 'roads': {
      if (family !== 'line') return { skip: `a ${family} in a roads layer` };
      const raw = text(layer.class);
      const cls = roadClass(raw);
      if (raw && !cls) unknownClasses.set(raw, (unknownClasses.get(raw) ?? 0) + 1);
      return { table: 'roads', class: cls ?? 'residential', name, geometry: f.geometry };
    }
    case 'water':
      if (family === 'polygon') return { table: 'water', kind: waterKind(text(layer.class), name), name, geometry: f.geometry };
      if (family === 'line') {
        const kind = waterKind(text(layer.class), name);
        return { table: 'water', kind, name, geometry: f.geometry, width_m: kind === 'river' ? 30 : 6 };
      }
      return { skip: `a ${family} in a water layer` };
    case 'buildings':
      if (family !== 'polygon') return { skip: `a ${family} in a buildings layer` };
      return { table: 'buildings', name, height_m: metres(text(layer.height)), levels: levels(text(layer.levels)), geometry: f.geometry };
    case 'labels':
      if (family !== 'point' || !name) return { skip: family === 'point' ? 'label without a name' : `a ${family} in a labels layer` };
      return { table: 'labels', kind: 'poi', name, rank: 8, minzoom: 15, geometry: f.geometry };
  }
}
