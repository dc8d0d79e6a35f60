// The pieces that keep an import to its own bytes: GeoJSON crs members GDAL would follow, zip members GDAL
// would open, and GDAL messages as the job status shows them.
import { describe, expect, it } from 'vitest';
import { gdalEnv } from '../../server/importers/gdal-env.ts';
import { checkGeoJsonCrs } from '../../server/importers/geojson-crs.ts';
import { publicGdalText } from '../../server/importers/gdal-message.ts';
import { checkZip, shapefileMembers, zipEntries } from '../../server/importers/zip-check.ts';
import { zipArchive } from '../helpers/zip.ts';

const line = '{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[114.3,30.5],[114.31,30.5]]}}';
const withCrs = (crs: string, where: 'top' | 'geometry' = 'top') => Buffer.from(where === 'top'
  ? `{"type":"FeatureCollection","crs":${crs},"features":[${line}]}`
  : `{"type":"FeatureCollection","features":[${line.replace('"type":"LineString"', `"type":"LineString","crs":${crs}`)}]}`);

describe('GeoJSON crs members', () => {
  it.each([
    ['a name of EPSG', '{"type":"name","properties":{"name":"EPSG:4547"}}'],
    ['an OGC URN', '{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}}'],
    ['an EPSG URN', '{ "type" : "name", "properties" : { "name" : "urn:ogc:def:crs:EPSG::2383" } }'],
    ['null', 'null'],
  ])('%s is let through', (_, crs) => {
    expect(() => checkGeoJsonCrs(withCrs(crs))).not.toThrow();
  });

  it('attributes that merely mention crs are let through', () => {
    expect(() => checkGeoJsonCrs(Buffer.from(`{"type":"FeatureCollection","features":[${line.replace('"properties":{}', '"properties":{"crs":"EPSG:4326","note":"\\"crs\\": {\\"type\\":\\"link\\"}","o\'k":"it\'s"}')}]}`))).not.toThrow();
  });

  it.each([
    ['a link', '{"type":"link","properties":{"href":"http://127.0.0.1:9/crs","type":"proj4"}}', 'top'],
    ['a url', '{"type":"url","properties":{"url":"http://10.0.0.1/crs"}}', 'top'],
    ['a link on a geometry', '{"type":"link","properties":{"href":"file:///etc/passwd"}}', 'geometry'],
    ['a name that is a URL', '{"type":"name","properties":{"name":"http://internal.corp/crs"}}', 'top'],
    ['a name that is a file', '{"type":"name","properties":{"name":"/etc/passwd"}}', 'top'],
    ['a name with a link beside it', '{"type":"name","Type":"link","properties":{"name":"EPSG:4326","href":"http://x/"}}', 'top'],
  ] as const)('%s is refused', (_, crs, where) => {
    expect(() => checkGeoJsonCrs(withCrs(crs, where))).toThrow(/coordinate system \("crs"\) as a link/);
  });

  it('spellings json-c reads as crs are found: upper case, escapes, single quotes', () => {
    const link = '{"type":"link","properties":{"href":"http://127.0.0.1:9/crs"}}';
    for (const key of ['"CRS"', '"\\u0063rs"', "'crs'", '"c\\u0072s"']) {
      expect(() => checkGeoJsonCrs(Buffer.from(`{"type":"FeatureCollection",${key} : ${link},"features":[]}`)), key).toThrow(/crs/);
    }
  });
});

describe('zip members', () => {
  it('each .shp with its .shx and .dbf, by name; GDAL spells names without the UTF-8 flag byte for byte', () => {
    const zip = zipArchive({ 'a/管线.shp': 'x', 'a/管线.shx': 'x', 'a/管线.DBF': 'x', 'a/管线.prj': 'x', 'readme.txt': 'x' });
    expect(shapefileMembers(checkZip(zip))).toEqual(['a/管线.shp']);
    const unflagged = Buffer.from(zip);
    for (let p = unflagged.indexOf('PK\x01\x02'); p >= 0; p = unflagged.indexOf('PK\x01\x02', p + 4)) unflagged.writeUInt16LE(0, p + 8);
    expect(zipEntries(unflagged)[0].gdalName).toBe(Buffer.from('a/管线.shp').toString('latin1'));
  });

  it.each([
    [{ 'pipes.geojson': '{}' }, /holds no .shp file \(only "pipes.geojson"\)/],
    [{ 'pipes.shp': '<OGRVRTDataSource/>' }, /"pipes.shp" in the zip archive has no .shx or .dbf beside it/],
    [{ 'a.shp': 'x', 'a.shx': 'x' }, /has no .dbf beside it/],
    [{ 'a{b}.shp': 'x' }, /unsafe entry name/],
  ])('%j is refused', (files, msg) => {
    expect(() => checkZip(zipArchive(files as Record<string, string>))).toThrow(msg);
  });
});

describe('GDAL messages for the job status', () => {
  const dir = '/tmp/onemap-import-123-abc';
  it.each([
    [`Failed to open file /vsizip/{${dir}/upload.zip}/a.shp.It may be corrupt`, 'Failed to open file pipes.zip: a.shp.It may be corrupt'],
    [`sqlite3_open(${dir}/upload.gpkg) failed`, 'sqlite3_open(pipes.zip) failed'],
    ["Failed to open datasource `/srv/secret/pipes.csv'.", "Failed to open datasource `(a path)'."],
    ["Failed to open datasource `/vsicurl/http://intranet.corp:8080/x.csv'.", "Failed to open datasource `(a path)'."],
    ['connection to server at "10.1.2.3", port 5432 failed', 'connection to server at "(an address)", port 5432 failed'],
    ['PG:host=db.internal port=5432 dbname=onemap user=onemap: failed', '(a connection string) failed'],
    ['Cannot open http://169.254.169.254/latest/meta-data', 'Cannot open (a link)'],
  ])('%s', (raw, shown) => {
    expect(publicGdalText(raw, dir, 'pipes.zip')).toBe(shown);
  });
});

describe('the environment of an import\'s GDAL', () => {
  it('has every driver but the allowed ones skipped, and nothing of the server\'s environment that reaches a database or a proxy', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { PGHOST: 'db.internal', PGPASSWORD: 'secret', PGSERVICEFILE: '/etc/pg_service.conf', HTTPS_PROXY: 'http://proxy:3128', GDAL_HTTP_PROXY: 'proxy:3128', CPL_CONFIG_FILE: '/x' });
    try {
      const env = await gdalEnv(['ESRI Shapefile', 'GeoJSONSeq'], '/tmp/onemap-import-1-x');
      const skipped = env.GDAL_SKIP!.split(',');
      expect(skipped).toEqual(expect.arrayContaining(['OGR_VRT', 'PostgreSQL', 'CSV', 'GeoJSON', 'GPKG', 'SQLite', 'WFS', 'HTTP']));
      expect(skipped).not.toContain('ESRI Shapefile');
      expect(skipped).not.toContain('GeoJSONSeq');
      expect(Object.keys(env).filter((k) => /^PG|PROXY|^CPL_CONFIG/i.test(k) && k !== 'GDAL_HTTP_PROXY' && k !== 'GDAL_HTTPS_PROXY')).toEqual([]);
      expect(env.GDAL_HTTP_PROXY).toBe('127.0.0.1:1');
      expect(env.HOME).toBe('/tmp/onemap-import-1-x');
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
});
