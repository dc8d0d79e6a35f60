// An import reads the uploaded bytes, in the declared format, and nothing else: a zip whose .shp is another
// format, a VRT pointing at a server file, a database or a URL, a GeoJSON whose crs is a link — none makes
// the server read another file or connect anywhere (a listener of the test's own counts connections). Its
// failures name no server path or host. And a file whose reading never ends or never stops growing ends as
// a failed job while the server answers. The limits are lowered for this file's server to reach them.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, useTestApp } from '../helpers/app.ts';
import { zipArchive } from '../helpers/zip.ts';

const ctx = useTestApp({ importLimits: { gdalSeconds: 20, features: 5_000, outputBytes: 4 * 1024 ** 2 } });
let planner: Record<string, string>;
let dir: string;
/** A file of the server's machine no import may read, with a pipe of Wuchang in it. */
let secretCsv: string;
const SECRET = `SECRET-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  planner = (await loginAs(ctx, 'planner')).headers;
  dir = mkdtempSync(path.join(os.tmpdir(), 'onemap-test-confine-'));
  secretCsv = path.join(dir, 'secret.csv');
  writeFileSync(secretCsv, `code,wkt\n${SECRET},"LINESTRING (114.30 30.55,114.31 30.55)"\n`);
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

interface Outcome { status: number; state?: string; message: string }

/** The upload refused at once (400), or its job run to its end. */
async function outcome(body: Buffer | string, query: string, meanwhile: () => Promise<void> = async () => {}): Promise<Outcome> {
  const res = await fetch(`${ctx.app.baseUrl}/api/imports?${query}`, { method: 'POST', headers: { ...planner, 'content-type': 'application/octet-stream' }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const json = await res.json() as { status?: string; message?: string };
  if (res.status !== 202) return { status: res.status, message: json.message ?? '' };
  for (;;) {
    const job = await (await fetch(ctx.app.baseUrl + json.status, { headers: planner })).json() as { state: string; error?: string };
    if (job.state === 'done' || job.state === 'failed') return { status: 202, state: job.state, message: job.error ?? '' };
    await meanwhile();
    await new Promise((r) => setTimeout(r, 100));
  }
}

const refused = (o: Outcome) => o.status === 400 || o.state === 'failed';

/** A TCP listener on 127.0.0.1 that counts the connections it is offered (and closes them). */
async function listener(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = net.createServer((s) => { n++; s.destroy(); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => n,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const vrt = (source: string, layer = 'secret') => `<OGRVRTDataSource><OGRVRTLayer name="pipes"><SrcDataSource>${source}</SrcDataSource><SrcLayer>${layer}</SrcLayer>`
  + '<GeometryType>wkbLineString</GeometryType><LayerSRS>EPSG:4326</LayerSRS><GeometryField encoding="WKT" field="wkt"/></OGRVRTLayer></OGRVRTDataSource>';
const geojson = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'G1' }, geometry: { type: 'LineString', coordinates: [[114.3, 30.55], [114.31, 30.55]] } }] });
const secretPipes = async () => (await ctx.db.query(`SELECT count(*)::int AS n FROM pipes WHERE code LIKE 'SECRET-%'`)).rows[0].n;

describe('an import opens only the uploaded file, in the declared format', () => {
  it('a zip whose .shp is a VRT pointing at a server file is refused, and the file is not read', async () => {
    const alone = await outcome(zipArchive({ 'pipes.shp': vrt(secretCsv) }), 'filename=pipes.zip');
    expect(refused(alone), JSON.stringify(alone)).toBe(true);
    expect(alone.message).toMatch(/no .shx or .dbf/);
    // With sidecars it reaches GDAL, whose Shapefile driver alone may open it.
    const dressed = await outcome(zipArchive({ 'pipes.shp': vrt(secretCsv), 'pipes.shx': vrt(secretCsv), 'pipes.dbf': '' }), 'filename=pipes.zip');
    expect(dressed.state, JSON.stringify(dressed)).toBe('failed');
    expect(dressed.message).toMatch(/GDAL could not read the file as a Shapefile/);
    expect(await secretPipes()).toBe(0);
  });

  it('an archive holding another format under a .shp name, or alone, is refused', async () => {
    const archives: Record<string, string>[] = [{ 'pipes.shp': geojson }, { 'pipes.geojson': geojson }, { 'pipes.shp': geojson, 'pipes.shx': '', 'pipes.dbf': '' }];
    for (const files of archives) {
      const o = await outcome(zipArchive(files), 'filename=pipes.zip');
      expect(refused(o), `${Object.keys(files)}: ${JSON.stringify(o)}`).toBe(true);
      expect(o.message).toMatch(/no .shp file|no .shx or .dbf|as a Shapefile/);
    }
  });

  it('a GeoJSON whose crs is a link makes no connection: it is refused', async () => {
    const l = await listener();
    try {
      const href = `http://127.0.0.1:${l.port}/crs`;
      const top = JSON.parse(geojson);
      top.crs = { type: 'link', properties: { href, type: 'proj4' } };
      const onGeometry = JSON.parse(geojson);
      onGeometry.features[0].geometry.crs = { type: 'url', properties: { url: href } };
      for (const body of [top, onGeometry]) {
        const o = await outcome(JSON.stringify(body), 'filename=linked.geojson');
        expect(refused(o), JSON.stringify(o)).toBe(true);
        expect(o.message).toMatch(/coordinate system \("crs"\) as a link/);
      }
      expect(l.connections()).toBe(0);
    } finally {
      await l.close();
    }
  });

  it('a VRT pointing at a PG: connection string or a URL connects nowhere', async () => {
    const l = await listener();
    try {
      for (const source of [`PG:host=127.0.0.1 port=${l.port} dbname=onemap user=onemap`, `/vsicurl/http://127.0.0.1:${l.port}/secret.csv`]) {
        const archives: Record<string, string>[] = [{ 'pipes.shp': vrt(source) }, { 'pipes.shp': vrt(source), 'pipes.shx': vrt(source), 'pipes.dbf': '' }];
        for (const files of archives) {
          const o = await outcome(zipArchive(files), 'filename=pipes.zip');
          expect(refused(o), `${source}: ${JSON.stringify(o)}`).toBe(true);
        }
      }
      expect(l.connections()).toBe(0);
    } finally {
      await l.close();
    }
  });

  it('failures name no server path or host', async () => {
    const broken = (n: number) => randomBytes(n);
    const cases: [Buffer | string, string][] = [
      [zipArchive({ 'pipes.shp': vrt('/srv/onemap/secret.csv') }), 'filename=missing.zip'],
      [zipArchive({ 'pipes.shp': vrt('/vsicurl/http://intranet.corp:8080/x.csv') }), 'filename=remote.zip'],
      [zipArchive({ 'pipes.shp': broken(300) }), 'filename=lone.zip'],
      [zipArchive({ 'pipes.shp': broken(300), 'pipes.shx': broken(100), 'pipes.dbf': broken(100) }), 'filename=broken.zip'],
      [Buffer.concat([Buffer.from('SQLite format 3\0'), broken(4000)]), 'filename=broken.gpkg'],
      ['{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2],[3', 'filename=cut.geojson'],
    ];
    for (const [body, q] of cases) {
      const o = await outcome(body, q);
      expect(refused(o), `${q}: ${JSON.stringify(o)}`).toBe(true);
      expect(o.message, q).not.toMatch(/\/(tmp|srv|etc|vsi\w+)\/|onemap-import|intranet|127\.0\.0\.1|localhost/);
      expect(o.message, q).not.toContain(os.hostname());
    }
  });
});

describe('an import cannot take the server down', () => {
  /** A GeoPackage with one pipe, and a view registered as a layer: `sql` over the pipe. */
  function gpkgWithView(name: string, sql: string): Buffer {
    const src = path.join(dir, `${name}.geojson`);
    const file = path.join(dir, `${name}.gpkg`);
    writeFileSync(src, geojson);
    execFileSync('ogr2ogr', ['-f', 'GPKG', file, src, '-nln', 'base']);
    for (const stmt of [
      `CREATE VIEW ${name} AS ${sql}`,
      `INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('${name}', 'features', '${name}', 4326)`,
      `INSERT INTO gpkg_geometry_columns VALUES ('${name}', 'geom', 'LINESTRING', 4326, 0, 0)`,
    ]) execFileSync('ogrinfo', [file, '-sql', stmt], { stdio: 'ignore' });
    return readFileSync(file);
  }

  async function failsWhileHealthy(body: Buffer, filename: string, message: RegExp) {
    const before = (await ctx.db.query('SELECT count(*)::int AS n FROM pipes')).rows[0].n;
    const health: number[] = [];
    const o = await outcome(body, `filename=${filename}`, async () => {
      health.push((await fetch(`${ctx.app.baseUrl}/api/health`)).status);
    });
    expect(o.state, JSON.stringify(o)).toBe('failed');
    expect(o.message).toMatch(message);
    expect(health.length).toBeGreaterThan(0);
    expect(health.every((s) => s === 200), JSON.stringify(health)).toBe(true);
    expect((await ctx.db.query('SELECT count(*)::int AS n FROM pipes')).rows[0].n).toBe(before);
  }

  it('a GeoPackage whose layer grows to two million features is cut off at the limit', async () => {
    const huge = gpkgWithView('huge', `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000)
      SELECT c.x AS fid, 'H' || c.x AS code, b.geom AS geom FROM c, base b`);
    await failsWhileHealthy(huge, 'huge.gpkg', /too large to import: it has more than 5000 features/);
  }, 120_000);

  it('a GeoPackage whose layer never ends is stopped at the time limit', async () => {
    const slow = gpkgWithView('slow', `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000000)
      SELECT b.fid AS fid, b.geom AS geom FROM c, base b WHERE c.x = 1000000000000`);
    await failsWhileHealthy(slow, 'slow.gpkg', /GDAL took more than 20 s/);
  }, 120_000);

  it('a zip that inflates past 1 GiB is refused before any reading', async () => {
    // A central directory claiming 1.5 GB in one entry from 100 MB (15×: no bomb by ratio, too much by size).
    const cd = Buffer.alloc(46 + 9);
    cd.writeUInt32LE(0x02014b50, 0); cd.writeUInt32LE(100 * 1024 ** 2, 20); cd.writeUInt32LE(1536 * 1024 ** 2, 24); cd.writeUInt16LE(9, 28); cd.write('a/big.shp', 46);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10); end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(4, 16);
    const o = await outcome(Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), cd, end]), 'filename=big.zip');
    expect(o.status).toBe(400);
    expect(o.message).toMatch(/inflates to 1536 MB; at most 1024 MB/);
  });
});
