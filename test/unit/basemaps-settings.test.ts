// External basemaps from the environment (server/basemaps.ts): 天地图 from its key, ONEMAP_BASEMAPS as a
// JSON list, each refused with what to write instead; and the content security policy (web-security.ts)
// naming exactly the hosts they load from. Also the classification of basemap features (basemap-classify.ts).
import { describe, expect, it } from 'vitest';
import { basemapOrigins, parseBasemaps } from '../../server/basemaps.ts';
import { classifyOsm, levels, metres, parseOtherTags, roadClass, waterKind } from '../../server/importers/layers/basemap-classify.ts';
import { SettingError } from '../../server/settings.ts';
import { appPolicy } from '../../server/web-security.ts';

const KEY = '0123456789abcdef0123456789abcdef';
const entry = (over: Record<string, unknown> = {}) => ({ id: 'city', name_zh: '市政底图', name_en: 'City tiles', type: 'xyz', url: 'https://tiles.example.cn/{z}/{x}/{y}.png', attribution: '© 市测绘院', maxzoom: 19, ...over });
const parse = (list: unknown[]) => parseBasemaps({ ONEMAP_BASEMAPS: JSON.stringify(list) });
const refused = (list: unknown[], message: RegExp) => expect(() => parse(list)).toThrow(message);

describe('external basemaps from the environment', () => {
  it('none unless configured', () => {
    expect(parseBasemaps({})).toEqual([]);
    expect(parseBasemaps({ ONEMAP_TIANDITU_KEY: ' ', ONEMAP_BASEMAPS: '' })).toEqual([]);
  });

  it('天地图: vector (vec_w + cva_w) and imagery (img_w + cia_w) as WMTS GetTile over t0–t7', () => {
    const [vec, img] = parseBasemaps({ ONEMAP_TIANDITU_KEY: KEY });
    expect(vec).toMatchObject({ id: 'tianditu-vec', name_zh: '天地图 矢量', type: 'wmts', maxzoom: 18, style: null });
    expect(img.id).toBe('tianditu-img');
    expect(vec.tiles).toHaveLength(2);
    expect(vec.tiles[0]).toHaveLength(8);
    expect(vec.tiles[0][3]).toBe(`https://t3.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${KEY}`);
    expect(vec.tiles[1][0]).toContain('/cva_w/wmts?');
    expect(img.tiles.map((t) => /\/(\w+)\/wmts/.exec(t[0])![1])).toEqual(['img_w', 'cia_w']);
    expect(basemapOrigins([vec, img])).toEqual(Array.from({ length: 8 }, (_, i) => `https://t${i}.tianditu.gov.cn`));
    expect(() => parseBasemaps({ ONEMAP_TIANDITU_KEY: 'not-a-key' })).toThrow(/32 hexadecimal/);
  });

  it('ONEMAP_BASEMAPS: XYZ with subdomains, WMTS, a style with the hosts its tiles come from', () => {
    const list = parse([
      entry({ url: 'https://{s}.tiles.example.cn/{z}/{x}/{y}.png', subdomains: ['a', 'b'] }),
      entry({ id: 'gis', type: 'wmts', url: 'http://10.1.2.3:8080/geoserver/gwc/service/wmts?REQUEST=GetTile&LAYER=base&TILEMATRIXSET=EPSG:900913&TILEMATRIX=EPSG:900913:{z}&TILEROW={y}&TILECOL={x}&FORMAT=image/png', maxzoom: undefined }),
      entry({ id: 'styled', type: 'style', url: 'https://maps.example.cn/styles/base.json', hosts: ['https://vt.example.cn'] }),
    ]);
    expect(list[0]).toMatchObject({ tiles: [['https://a.tiles.example.cn/{z}/{x}/{y}.png', 'https://b.tiles.example.cn/{z}/{x}/{y}.png']], origins: ['https://a.tiles.example.cn', 'https://b.tiles.example.cn'] });
    expect(list[1]).toMatchObject({ maxzoom: 18, origins: ['http://10.1.2.3:8080'] });
    expect(list[2]).toMatchObject({ tiles: [], style: 'https://maps.example.cn/styles/base.json', origins: ['https://maps.example.cn', 'https://vt.example.cn'] });
    expect(parseBasemaps({ ONEMAP_TIANDITU_KEY: KEY, ONEMAP_BASEMAPS: JSON.stringify([entry()]) }).map((b) => b.id)).toEqual(['tianditu-vec', 'tianditu-img', 'city']);
  });

  it('refuses what cannot be right, saying what to write', () => {
    expect(() => parseBasemaps({ ONEMAP_BASEMAPS: '[{' })).toThrow(SettingError);
    expect(() => parseBasemaps({ ONEMAP_BASEMAPS: '[{' })).toThrow(/not JSON.*"type":"xyz"/);
    expect(() => parseBasemaps({ ONEMAP_BASEMAPS: '{}' })).toThrow(/JSON list/);
    refused([entry({ id: 'Bad Id' })], /\.id "Bad Id"/);
    refused([entry({ id: 'embedded' })], /not "embedded"/);
    refused([entry(), entry()], /"city" is given twice/);
    refused([entry({ type: 'tms' })], /type must be one of xyz, wmts, style/);
    refused([entry({ url: 'https://tiles.example.cn/tile.png' })], /\{z\}, \{x\} and \{y\}/);
    refused([entry({ url: 'ftp://x/{z}/{x}/{y}' })], /http\(s\) URL/);
    refused([entry({ url: 'tiles/{z}/{x}/{y}.png' })], /not an absolute URL/);
    refused([entry({ url: 'https://u:p@tiles.example.cn/{z}/{x}/{y}.png' })], /no user or password/);
    refused([entry({ url: 'https://{s}.t.cn/{z}/{x}/{y}.png' })], /give subdomains/);
    refused([entry({ maxzoom: 30 })], /maxzoom must be a whole number from 0 to 24/);
    refused([entry({ name_zh: '' })], /name_zh must be a text/);
    refused([entry({ key: 'x' })], /unknown field "key"/);
    refused([entry({ type: 'style', url: 'https://m.cn/s.json', hosts: ['https://vt.cn/tiles'] })], /origins only/);
  });
});

describe('content security policy', () => {
  it('allows images and connections to the configured basemaps\' hosts, and to nothing else', () => {
    expect(appPolicy()).toContain("img-src 'self' data: blob:;");
    expect(appPolicy()).toContain("connect-src 'self';");
    const origins = basemapOrigins(parse([entry(), entry({ id: 'b', url: 'http://10.1.2.3:8080/t/{z}/{x}/{y}.png' })]));
    const policy = appPolicy(["'self'"], origins);
    expect(policy).toContain("img-src 'self' data: blob: https://tiles.example.cn http://10.1.2.3:8080;");
    expect(policy).toContain("connect-src 'self' https://tiles.example.cn http://10.1.2.3:8080;");
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("default-src 'self';");
  });
});

describe('basemap features', () => {
  it('OSM tags: highway classes, waterways as areas, buildings with heights, places', () => {
    const line = { type: 'LineString', coordinates: [[0, 0], [1, 1]] } as GeoJSON.Geometry;
    expect(parseOtherTags('"name:zh"=>"武昌","height"=>"2\\"1"')).toEqual({ 'name:zh': '武昌', height: '2"1' });
    expect(classifyOsm({ source: 'lines', properties: { highway: 'trunk_link' }, geometry: line })).toMatchObject({ table: 'roads', class: 'trunk' });
    expect(classifyOsm({ source: 'lines', properties: { highway: 'tertiary', other_tags: '"name:zh"=>"民主路"', name: 'Minzhu Rd' }, geometry: line })).toMatchObject({ class: 'secondary', name: '民主路' });
    expect(classifyOsm({ source: 'lines', properties: { highway: 'cycleway' }, geometry: line })).toEqual({ skip: 'highway=cycleway (not drawn)' });
    expect(classifyOsm({ source: 'lines', properties: { waterway: 'canal' }, geometry: line })).toMatchObject({ table: 'water', kind: 'channel', width_m: 8 });
    expect(classifyOsm({ source: 'multipolygons', properties: { building: 'yes', other_tags: '"building:levels"=>"32"' }, geometry: line })).toMatchObject({ table: 'buildings', levels: 32, height_m: null });
    expect(classifyOsm({ source: 'multipolygons', properties: { natural: 'water', other_tags: '"water"=>"river"' }, geometry: line })).toMatchObject({ table: 'water', kind: 'river' });
    expect(classifyOsm({ source: 'points', properties: { place: 'neighbourhood', name: '昙华林' }, geometry: line })).toMatchObject({ table: 'labels', kind: 'community' });
  });

  it('surveying values: CJJ 37 road classes, water kinds by value or name, heights and levels in words', () => {
    expect(['快速路', '主干路', '次干道', '支路', 'residential', '胡同'].map(roadClass)).toEqual(['trunk', 'primary', 'secondary', 'residential', 'residential', null]);
    expect([waterKind('河流', null), waterKind('', '东湖'), waterKind(null, '长江'), waterKind(null, '罗家港'), waterKind('水库', null)]).toEqual(['river', 'lake', 'river', 'channel', 'lake']);
    expect(['21', '21 m', '21.5米', 'x', '0', '2000'].map(metres)).toEqual([21, 21, 21.5, null, null, null]);
    expect(['6', '6层', '6F', '6.5', ''].map(levels)).toEqual([6, 6, 6, null, null]);
  });
});
