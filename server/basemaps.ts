// External basemaps the operator configures, checked at start (like settings.ts): 天地图 from its key
// (ONEMAP_TIANDITU_KEY: vector vec_w with its labels cva_w, imagery img_w with cia_w, as WMTS GetTile KVP
// URLs over the t0–t7 hosts), and any others as ONEMAP_BASEMAPS, a JSON list of raster XYZ/WMTS tile URL
// templates or MapLibre style URLs. The browser fetches their tiles itself — the server never proxies them
// (it would make the server open whatever host a request names) — so the content security policy allows
// exactly their hosts (web-security.ts), and nothing else. Amap and Baidu tiles are offset (GCJ-02, BD-09)
// from every WGS84/CGCS2000 layer of the map and are not offered; 天地图 is CGCS2000 and lines up.
import { SettingError } from './settings.ts';

export const BASEMAP_TYPES = ['xyz', 'wmts', 'style'] as const;
export type ExternalBasemapType = (typeof BASEMAP_TYPES)[number];

export interface ExternalBasemap {
  id: string;
  name_zh: string;
  name_en: string;
  type: ExternalBasemapType;
  /**
   * Raster: the layers drawn one over another (天地图's base and its labels), each as tile URL templates
   * with {z}/{x}/{y} — several when the same tiles come from several hosts. Empty for a style.
   */
  tiles: string[][];
  /** A MapLibre style's URL; null for raster. */
  style: string | null;
  attribution: string;
  maxzoom: number;
  /** The origins (scheme://host[:port]) the browser fetches it from: its URLs', and for a style the ones it names. */
  origins: string[];
}

const TIANDITU_HOSTS = Array.from({ length: 8 }, (_, i) => `t${i}`);
const FIELDS = ['id', 'name_zh', 'name_en', 'type', 'url', 'subdomains', 'attribution', 'maxzoom', 'hosts'];

function tiandituUrls(layer: string, key: string): string[] {
  const [name, set] = layer.split('_');
  return TIANDITU_HOSTS.map((h) => `https://${h}.tianditu.gov.cn/${layer}/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${name}&STYLE=default`
    + `&TILEMATRIXSET=${set}&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`);
}

/** 天地图's two basemaps, each a base layer and its annotation layer drawn over it. */
export function tiandituBasemaps(key: string): ExternalBasemap[] {
  const attribution = '© 天地图 Tianditu';
  const origins = TIANDITU_HOSTS.map((h) => `https://${h}.tianditu.gov.cn`);
  return [
    { id: 'tianditu-vec', name_zh: '天地图 矢量', name_en: 'Tianditu map', type: 'wmts', tiles: [tiandituUrls('vec_w', key), tiandituUrls('cva_w', key)], style: null, attribution, maxzoom: 18, origins },
    { id: 'tianditu-img', name_zh: '天地图 影像', name_en: 'Tianditu imagery', type: 'wmts', tiles: [tiandituUrls('img_w', key), tiandituUrls('cia_w', key)], style: null, attribution, maxzoom: 18, origins },
  ];
}

function originOf(url: string, what: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new SettingError(`${what}: ${JSON.stringify(url.slice(0, 100))} is not an absolute URL (https://host/…)`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new SettingError(`${what}: ${JSON.stringify(url.slice(0, 100))} must be an http(s) URL`);
  if (u.username || u.password) throw new SettingError(`${what}: ${JSON.stringify(u.host)}: no user or password in the URL (the browser would show them to everyone)`);
  return u.origin;
}

const text = (v: unknown, what: string, max: number): string => {
  if (typeof v !== 'string' || !v.trim() || v.length > max) throw new SettingError(`${what} must be a text of 1 to ${max} characters`);
  return v.trim();
};

function parseOne(raw: unknown, i: number): ExternalBasemap {
  const at = `ONEMAP_BASEMAPS[${i}]`;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new SettingError(`${at} must be an object {id, name_zh, name_en, type, url, attribution, maxzoom}`);
  const o = raw as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => !FIELDS.includes(k));
  if (extra.length) throw new SettingError(`${at} has unknown field ${extra.map((k) => JSON.stringify(k)).join(', ')}; the fields are ${FIELDS.join(', ')}`);
  const id = text(o.id, `${at}.id`, 40);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id) || id === 'embedded') throw new SettingError(`${at}.id ${JSON.stringify(id)}: use lower-case letters, digits and - (and not "embedded", the built-in basemap)`);
  const type = o.type as ExternalBasemapType;
  if (!BASEMAP_TYPES.includes(type)) throw new SettingError(`${at}.type must be one of ${BASEMAP_TYPES.join(', ')}`);
  const url = text(o.url, `${at}.url`, 2000);
  let urls = [url];
  if (o.subdomains !== undefined) {
    if (!Array.isArray(o.subdomains) || !o.subdomains.length || o.subdomains.some((s) => typeof s !== 'string' || !/^[a-z0-9-]{1,30}$/i.test(s))) {
      throw new SettingError(`${at}.subdomains must be a list of host name parts, e.g. ["t0","t1"], for {s} in the url`);
    }
    if (!url.includes('{s}')) throw new SettingError(`${at}.subdomains is given but the url has no {s}`);
    urls = (o.subdomains as string[]).map((s) => url.replaceAll('{s}', s));
  } else if (url.includes('{s}')) throw new SettingError(`${at}.url has {s}: give subdomains too, e.g. ["a","b","c"]`);
  if (type !== 'style' && !['{z}', '{x}', '{y}'].every((p) => url.includes(p))) {
    throw new SettingError(`${at}.url must have {z}, {x} and {y} where the tile's zoom, column and row go (for WMTS: TILEMATRIX={z}&TILEROW={y}&TILECOL={x})`);
  }
  const origins = new Set(urls.map((u) => originOf(u.replace(/\{[a-z]+\}/g, '0'), `${at}.url`)));
  if (o.hosts !== undefined) {
    if (!Array.isArray(o.hosts) || o.hosts.some((h) => typeof h !== 'string')) throw new SettingError(`${at}.hosts must be a list of origins, e.g. ["https://tiles.example.cn"]`);
    for (const h of o.hosts as string[]) {
      const origin = originOf(h, `${at}.hosts`);
      if (origin !== h.replace(/\/$/, '')) throw new SettingError(`${at}.hosts: give origins only (scheme://host[:port]), not ${JSON.stringify(h.slice(0, 100))}`);
      origins.add(origin);
    }
  }
  const maxzoom = o.maxzoom === undefined ? 18 : o.maxzoom;
  if (!Number.isInteger(maxzoom) || (maxzoom as number) < 0 || (maxzoom as number) > 24) throw new SettingError(`${at}.maxzoom must be a whole number from 0 to 24`);
  const attribution = o.attribution === undefined ? '' : typeof o.attribution === 'string' && o.attribution.length <= 300 ? o.attribution : null;
  if (attribution === null) throw new SettingError(`${at}.attribution must be a text of at most 300 characters`);
  return {
    id, name_zh: text(o.name_zh, `${at}.name_zh`, 60), name_en: text(o.name_en, `${at}.name_en`, 60), type,
    tiles: type === 'style' ? [] : [urls], style: type === 'style' ? url : null, attribution, maxzoom: maxzoom as number, origins: [...origins],
  };
}

/** ONEMAP_TIANDITU_KEY and ONEMAP_BASEMAPS, checked: the basemaps offered besides the embedded one. */
export function parseBasemaps(env: { ONEMAP_TIANDITU_KEY?: string; ONEMAP_BASEMAPS?: string }): ExternalBasemap[] {
  const out: ExternalBasemap[] = [];
  const key = env.ONEMAP_TIANDITU_KEY?.trim();
  if (key) {
    if (!/^[0-9a-f]{32}$/i.test(key)) throw new SettingError('ONEMAP_TIANDITU_KEY must be the 32 hexadecimal characters of a 天地图 browser key (console.tianditu.gov.cn: 应用管理 → 浏览器端)');
    out.push(...tiandituBasemaps(key));
  }
  const raw = env.ONEMAP_BASEMAPS?.trim();
  if (raw) {
    let list: unknown;
    try {
      list = JSON.parse(raw);
    } catch (err) {
      throw new SettingError(`ONEMAP_BASEMAPS is not JSON (${(err as Error).message}); give a list: [{"id":"city-tiles","name_zh":"市政底图","name_en":"City tiles","type":"xyz","url":"https://tiles.example.cn/{z}/{x}/{y}.png","attribution":"…","maxzoom":18}]`);
    }
    if (!Array.isArray(list)) throw new SettingError('ONEMAP_BASEMAPS must be a JSON list [{id, name_zh, name_en, type, url, attribution, maxzoom}, …]');
    list.forEach((b, i) => out.push(parseOne(b, i)));
  }
  const seen = new Set<string>();
  for (const b of out) {
    if (seen.has(b.id)) throw new SettingError(`basemap id ${JSON.stringify(b.id)} is given twice${b.id.startsWith('tianditu-') ? ' (tianditu-vec and tianditu-img come from ONEMAP_TIANDITU_KEY)' : ''}`);
    seen.add(b.id);
  }
  return out;
}

/** Every origin the configured basemaps load from, for the content security policy. */
export function basemapOrigins(list: readonly ExternalBasemap[]): string[] {
  return [...new Set(list.flatMap((b) => b.origins))];
}
