// Importing survey networks through the HTTP API (a generated town network in the shape of US GIS
// exports: GeoJSON lines without node ids, with its manholes as points; a generated SWMM model in a US
// state-plane CRS), all-or-nothing failures, the rebuilt topology of a seed subnetwork, and exports of a
// trace — GeoJSON, CSV, GeoPackage, and a SWMM .inp that imports back as the same network.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSwmm } from '../../server/importers/swmm.ts';
import { ImportJobs } from '../../server/importers/jobs.ts';
import { loginAs, useTestApp } from '../helpers/app.ts';
import { decodeTile } from '../helpers/mvt.ts';
import { bradfordLike } from '../helpers/bradford-like.ts';
import { swmmFile } from '../helpers/swmm-files.ts';

const ctx = useTestApp();
let planner: Record<string, string>;
beforeAll(async () => { planner = (await loginAs(ctx, 'planner')).headers; });
const rows = async (sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows;

// Three separate networks of 6-reach trunks, 3 branches ending on each trunk's inner vertices, an outlet each.
const TOWN = bradfordLike({ trunks: 3, reaches: 6, branches: 3 });
const LINES = JSON.stringify(TOWN.lines);

interface Job { state: string; error?: string; import?: { id: number; report: any } }

async function upload(body: Buffer | string, query: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${ctx.app.baseUrl}/api/imports?${query}`, { method: 'POST', headers: { ...planner, 'content-type': 'application/octet-stream' }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  return { status: res.status, json: await res.json() };
}

async function importFile(body: Buffer | string, query: string): Promise<Job> {
  const { status, json } = await upload(body, query);
  expect(status, JSON.stringify(json)).toBe(202);
  for (;;) {
    const job = await (await fetch(ctx.app.baseUrl + json.status, { headers: planner })).json() as Job;
    if (job.state === 'done' || job.state === 'failed') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const counts = async () => (await rows(`SELECT (SELECT count(*) FROM imports)::int AS imports, (SELECT count(*) FROM manholes)::int AS manholes, (SELECT count(*) FROM pipes)::int AS pipes`))[0];

describe('POST /api/imports', () => {
  it('town GIS lines without node ids become a network (ends joined, lines split where others end) shown in tiles and traced', async () => {
    const t = TOWN.truth.alone;
    const job = await importFile(LINES, 'filename=town-lines.geojson&tolerance_m=0.5');
    expect(job.state, job.error).toBe('done');
    const r = job.import!.report;
    expect(r.read).toEqual({ nodes: 0, links: TOWN.truth.lines });
    expect(r.direction).toMatchObject({ digitised: TOWN.truth.lines, from_inverts: 0, from_file: 0 });
    // Each trunk is cut where its branches end: more reaches written than lines read.
    expect(r.split_links).toBe(t.split_links);
    expect(r.written).toEqual({ manholes: t.manholes, pipes: t.pipes });
    expect(r).toMatchObject({ created_nodes: t.created_nodes, snapped_nodes: t.snapped_nodes, components: t.components });
    // "System Type" gives each reach its usage (Wastewater, Combined, Stormwater).
    const usage = await rows(`SELECT usage, count(*)::int AS n FROM pipes WHERE import_id = $1 GROUP BY usage`, [job.import!.id]);
    expect(Object.fromEntries(usage.map((u) => [u.usage, u.n]))).toEqual(t.pipesByUsage);
    const [db] = await rows(`SELECT count(*)::int AS pipes, count(DISTINCT from_node)::int AS f, (SELECT count(*)::int FROM manholes WHERE import_id = $1) AS manholes FROM pipes WHERE import_id = $1`, [job.import!.id]);
    expect(db.pipes).toBe(r.written.pipes);
    expect(db.manholes).toBe(r.written.manholes);
    // Endpoints that share coordinates share a manhole: no two manholes of the import at the same place.
    const [dupe] = await rows(`SELECT count(*)::int AS n FROM manholes a JOIN manholes b ON a.import_id = b.import_id AND a.id < b.id AND ST_DWithin(a.geom::geography, b.geom::geography, 0.5) WHERE a.import_id = $1`, [job.import!.id]);
    expect(dupe.n).toBe(0);
    // Components counted by the report match a count done in SQL with pgRouting.
    const [comp] = await rows(`SELECT count(DISTINCT component)::int AS n FROM pgr_connectedComponents('SELECT id, from_node AS source, to_node AS target, 1 AS cost, 1 AS reverse_cost FROM pipes WHERE import_id = ${job.import!.id}')`);
    expect(r.components).toBe(comp.n);
    expect(r.crs_source).toEqual({ kind: 'file', epsg: null, gauss_kruger: null, from: 'file' });

    // In the tiles at once (z16 tile over an imported pipe), and traceable.
    const [p] = await rows(`SELECT id, code, ST_X(ST_LineInterpolatePoint(geom, 0.5)) AS x, ST_Y(ST_LineInterpolatePoint(geom, 0.5)) AS y FROM pipes WHERE import_id = $1 ORDER BY id LIMIT 1`, [job.import!.id]);
    const z = 16;
    const tx = Math.floor(((p.x + 180) / 360) * 2 ** z);
    const ty = Math.floor(((1 - Math.log(Math.tan((p.y * Math.PI) / 180) + 1 / Math.cos((p.y * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
    const tile = decodeTile(new Uint8Array(await (await fetch(`${ctx.app.baseUrl}/tiles/pipes/${z}/${tx}/${ty}.mvt`)).arrayBuffer()));
    expect(tile.pipes.features.map((f) => f.properties.code)).toContain(p.code);
    let traced = 0;
    for (let i = 0; i < 40 && traced === 0; i++) {
      const t = await (await fetch(`${ctx.app.baseUrl}/api/trace?from=pipe:${p.id}&direction=downstream`)).json();
      traced = t.pipes?.count ?? 0;
      if (!traced) await new Promise((res) => setTimeout(res, 50));
    }
    expect(traced).toBeGreaterThan(0);
  });

  it('the same network as a zipped Shapefile in UTM 18N (CRS from its .prj) and as a GeoPackage with its manholes', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'onemap-test-'));
    const [lines, points] = [path.join(dir, 'lines.geojson'), path.join(dir, 'points.geojson')];
    writeFileSync(lines, LINES);
    writeFileSync(points, JSON.stringify(TOWN.points));
    execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', path.join(dir, 'b.shp.zip'), lines, '-t_srs', 'EPSG:32618']);
    execFileSync('ogr2ogr', ['-f', 'GPKG', path.join(dir, 'b.gpkg'), lines, '-nln', 'pipes']);
    execFileSync('ogr2ogr', ['-f', 'GPKG', '-update', path.join(dir, 'b.gpkg'), points, '-nln', 'manholes']);
    const geo = await importFile(LINES, 'filename=b.geojson');
    const shp = await importFile(readFileSync(path.join(dir, 'b.shp.zip')), 'filename=b.zip');
    expect(shp.state, shp.error).toBe('done');
    expect(geo.import!.report.written).toEqual({ manholes: TOWN.truth.alone.manholes, pipes: TOWN.truth.alone.pipes });
    expect(shp.import!.report.written).toEqual(geo.import!.report.written);
    expect(shp.import!.report.components).toBe(geo.import!.report.components);
    // Reprojected there and back: every manhole within a centimetre of the GeoJSON import's.
    const [far] = await rows(`SELECT count(*)::int AS n FROM manholes a WHERE a.import_id = $1 AND NOT EXISTS (
      SELECT 1 FROM manholes b WHERE b.import_id = $2 AND ST_DWithin(a.geom::geography, b.geom::geography, 0.01))`, [shp.import!.id, geo.import!.id]);
    expect(far.n).toBe(0);

    const gpkg = await importFile(readFileSync(path.join(dir, 'b.gpkg')), 'filename=b.gpkg&tolerance_m=1');
    expect(gpkg.state, gpkg.error).toBe('done');
    const r = gpkg.import!.report;
    const t = TOWN.truth.withPoints;
    expect(r.read).toEqual({ nodes: TOWN.truth.points, links: TOWN.truth.lines });
    // Ends snap to the file's manholes 0.3 m away, which also cut each trunk at every vertex; the lone
    // pump station joins nothing and is left out.
    expect(r).toMatchObject({ snapped_nodes: t.snapped_nodes, created_nodes: t.created_nodes, split_links: t.split_links, components: t.components });
    expect(r.written).toEqual({ manholes: t.manholes, pipes: t.pipes });
    expect(r.skipped).toEqual([expect.objectContaining({ what: 'node', reason: 'not connected to any pipe', count: 1 })]);
    const [kinds] = await rows(`SELECT count(*)::int AS n FROM manholes WHERE import_id = $1 AND code LIKE 'P%'`, [gpkg.import!.id]);
    expect(kinds.n).toBe(t.pointManholes); // the file's own manholes were used as nodes
    rmSync(dir, { recursive: true, force: true });
  });

  it('SWMM model in EPSG:2817 (US feet): every junction, outfall, storage and conduit, with lengths and inverts in metres', async () => {
    const { text, truth } = swmmFile({ flavour: 'state-plane', trunk: 12, branches: 3, perBranch: 4, storageEvery: 4, bentConduits: 2 });
    const model = parseSwmm(text);
    const job = await importFile(text, 'filename=model_state_plane.inp');
    expect(job.state, job.error).toBe('done');
    const r = job.import!.report;
    expect(r.crs).toMatch(/EPSG:2817/);
    expect(r.crs_source).toEqual({ kind: 'epsg', epsg: 2817, gauss_kruger: null, from: 'file' });
    const nodes = truth.junctions.length + truth.storage.length + truth.outfalls.length;
    expect([nodes, truth.conduits.length]).toEqual([25, 24]);
    expect(r.written).toEqual({ manholes: nodes, pipes: truth.conduits.length });
    expect(r.direction.from_file).toBe(truth.conduits.length);
    expect(r.components).toBe(1);
    const [stored] = await rows(`SELECT count(*) FILTER (WHERE kind = 'storage')::int AS storage, count(*) FILTER (WHERE kind = 'outfall')::int AS outfalls FROM manholes WHERE import_id = $1`, [job.import!.id]);
    expect(stored).toEqual({ storage: truth.storage.length, outfalls: 1 });
    const c = model.conduits[0];
    const from = [...model.junctions, ...model.storage, ...model.outfalls].find((n) => n.name === c.from)!;
    const [db] = await rows(`SELECT p.length_m, p.up_invert_m, f.code AS f, ST_Y(f.geom) AS lat FROM pipes p JOIN manholes f ON f.id = p.from_node WHERE p.import_id = $1 AND p.code = $2`, [job.import!.id, c.name]);
    expect(db.f).toBe(from.name);
    expect(db.length_m).toBeCloseTo(c.length * 0.3048, 1);
    expect(db.up_invert_m).toBeCloseTo((from.invert + (c.inOffset ?? 0)) * 0.3048, 2);
    expect(db.lat).toBeGreaterThan(43); // New Hampshire
    expect(db.lat).toBeLessThan(44);
  });

  it('rebuilds the topology of 3,400 seed pipes given only their lines: the same manholes join the same pipes', async () => {
    const ids = (await rows(`SELECT id FROM pipes WHERE network = 'community' AND import_id IS NULL ORDER BY id LIMIT 3400`)).map((r) => r.id);
    const geojson = await (await fetch(`${ctx.app.baseUrl}/api/network/export`, {
      // More than 2,000 reaches: an export for accounts.
      method: 'POST', headers: { ...planner, 'content-type': 'application/json' }, body: JSON.stringify({ format: 'geojson', ids }),
    })).text();
    const job = await importFile(geojson, 'filename=seed-community.geojson&tolerance_m=0.05');
    expect(job.state, job.error).toBe('done');
    const r = job.import!.report;
    const [orig] = await rows(`SELECT count(DISTINCT n)::int AS nodes FROM (SELECT from_node AS n FROM pipes WHERE id = ANY($1) UNION SELECT to_node FROM pipes WHERE id = ANY($1)) s`, [ids]);
    expect(r.written.pipes, JSON.stringify(r)).toBe(3400);
    expect(r.written.manholes).toBe(orig.nodes);
    // The export carries the inverts: direction comes from them, and agrees with the seed's everywhere.
    expect(r.direction).toMatchObject({ from_inverts: 3400, reversed: 0 });
    // Each imported pipe joins the manholes at the original pipe's ends.
    const [mismatch] = await rows(`
      SELECT count(*)::int AS n FROM pipes o JOIN pipes i ON i.import_id = $1 AND i.code = o.code
      JOIN manholes of ON of.id = o.from_node JOIN manholes ot ON ot.id = o.to_node JOIN manholes i_f ON i_f.id = i.from_node JOIN manholes i_t ON i_t.id = i.to_node
      WHERE o.id = ANY($2) AND o.import_id IS NULL AND (NOT ST_DWithin(of.geom::geography, i_f.geom::geography, 0.05) OR NOT ST_DWithin(ot.geom::geography, i_t.geom::geography, 0.05))`, [job.import!.id, ids]);
    expect(mismatch.n).toBe(0);
    await rows('DELETE FROM imports WHERE id = $1', [job.import!.id]);
  });

  it('only planners and admins may import, and every import is in the audit log', async () => {
    const body = Buffer.from(LINES);
    const post = (headers: Record<string, string>) => fetch(`${ctx.app.baseUrl}/api/imports?filename=b.geojson`, { method: 'POST', headers: { ...headers, 'content-type': 'application/octet-stream' }, body: new Uint8Array(body) });
    const anon = await post({});
    expect(anon.status).toBe(401);
    const field = await post((await loginAs(ctx, 'field')).headers);
    expect(field.status).toBe(403);
    expect((await field.json()).message).toMatch(/a field may not do this; it needs the role planner/);
    const job = await importFile(body, 'filename=audited.geojson');
    const [entry] = await rows(`SELECT actor, role, action, after FROM audit_log WHERE entity = 'import' AND entity_id = $1`, [String(job.import!.id)]);
    expect(entry).toMatchObject({ role: 'planner', action: 'import.create', after: { filename: 'audited.geojson' } });
    expect((await fetch(`${ctx.app.baseUrl}/api/imports/${job.import!.id}`, { method: 'DELETE' })).status).toBe(401);
    expect((await fetch(`${ctx.app.baseUrl}/api/imports/${job.import!.id}`, { method: 'DELETE', headers: planner })).status).toBe(200);
    const [del] = await rows(`SELECT action, before FROM audit_log WHERE entity = 'import' AND entity_id = $1 AND action = 'import.delete'`, [String(job.import!.id)]);
    expect(del.before.filename).toBe('audited.geojson');
  });

  it('jobs are rows: read by a server that did not run them; a job whose server died or fell silent ends failed, never "running"', async () => {
    const job = await importFile(LINES, 'filename=kept.geojson');
    expect(job.state).toBe('done');
    const [row] = await rows(`SELECT j.id, j.state, j.import_id, j.ended_at IS NOT NULL AS ended FROM import_jobs j JOIN imports i ON i.id = j.import_id WHERE j.filename = 'kept.geojson'`);
    expect(row).toMatchObject({ state: 'done', import_id: job.import!.id, ended: true });
    // Another server on the same database (as after a restart) answers the poll with the same report.
    const other = new ImportJobs(ctx.app.server.pool);
    expect((await other.get(row.id))!.import!.report).toEqual(job.import!.report);

    const host = os.hostname();
    const dead = [`${host}:2147483646:gone`, `elsewhere:1:silent`];
    const ids: string[] = [];
    for (const server of dead) {
      const [{ id }] = await rows(`INSERT INTO import_jobs (id, state, stage, progress, filename, server, seen_at)
        VALUES (gen_random_uuid(), 'running', 'writing', 0.6, 'lost.geojson', $1, now() - CASE WHEN $1 LIKE 'elsewhere%' THEN interval '2 minutes' ELSE interval '0' END) RETURNING id`, [server]);
      ids.push(id);
    }
    // A job another machine's server runs and was heard from just now stays running.
    const [{ id: alive }] = await rows(`INSERT INTO import_jobs (id, state, stage, filename, server) VALUES (gen_random_uuid(), 'running', 'writing', 'busy.geojson', 'elsewhere:1:busy') RETURNING id`);
    for (const id of ids) {
      const res = await fetch(`${ctx.app.baseUrl}/api/imports/jobs/${id}`, { headers: planner });
      expect(res.status).toBe(200);
      const j = await res.json() as Job & { stage: string };
      expect(j.state).toBe('failed');
      expect(j.error).toMatch(/stopped before it finished; nothing was written/);
    }
    expect((await (await fetch(`${ctx.app.baseUrl}/api/imports/jobs/${alive}`, { headers: planner })).json() as Job).state).toBe('running');
    const missing = await fetch(`${ctx.app.baseUrl}/api/imports/jobs/00000000-0000-4000-8000-000000000000`, { headers: planner });
    expect(missing.status).toBe(404);
    expect((await missing.json()).message).toMatch(/no such import job/);
    await rows('DELETE FROM import_jobs WHERE id = ANY($1::uuid[])', [[...ids, alive]]);
  });

  it('bad files are refused with a reason, and a failure half-way leaves nothing behind', async () => {
    const before = await counts();
    const bad = [
      [await upload('not json at all', 'filename=x.geojson'), /not a GeoJSON object/],
      [await upload('{"type":"FeatureCollection"}', 'filename=x.zip'), /not a zip archive/],
      [await upload('{"type":"FeatureCollection"}', 'filename=x.gpkg'), /not a GeoPackage/],
      [await upload('{"type":"FeatureCollection"}', 'filename=x.txt'), /cannot tell the format/],
      [await upload('[TITLE]\nx', 'filename=x.inp&crs=EPSG:abc'), /crs "EPSG:abc" is not understood/],
      [await upload('x', 'filename=x.geojson&tolerance_m=500'), /tolerance_m must be <= 50/],
    ] as const;
    for (const [res, msg] of bad) {
      expect(res.status).toBe(400);
      expect(res.json.message).toMatch(msg);
    }
    // A zip bomb: a central directory claiming 5 GB from a few bytes.
    const bomb = Buffer.alloc(22 + 46 + 9);
    bomb.writeUInt32LE(0x02014b50, 0); bomb.writeUInt32LE(100, 20); bomb.writeUInt32LE(3_000_000_000, 24); bomb.writeUInt16LE(9, 28); bomb.write('a/big.shp', 46);
    bomb.writeUInt32LE(0x06054b50, 55); bomb.writeUInt16LE(1, 65); bomb.writeUInt32LE(0, 71);
    const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), bomb]);
    zip.writeUInt32LE(4, zip.length - 6); // central directory offset after the 4-byte header
    const z = await upload(zip, 'filename=bomb.zip');
    expect(z.status).toBe(400);
    expect(z.json.message).toMatch(/inflates|at most/);

    const failures: [string, string, RegExp][] = [
      ['{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[1,2],["x",3]]}}]}', 'filename=broken.geojson', /GDAL could not read|broken geometry/],
      // A tutorial-style model: local coordinates, no EPSG code anywhere.
      [swmmFile({ flavour: 'local', trunk: 8, branches: 2, perBranch: 3, storageEvery: 0, bentConduits: 1 }).text, 'filename=example.inp', /does not say its coordinate system/],
      // Manholes and the imports row are written before this diameter overflows the pipes table.
      ['{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"diameter":"99999999999"},"geometry":{"type":"LineString","coordinates":[[114.3,30.5],[114.301,30.5]]}}]}', 'filename=overflow.geojson', /could not be stored/],
    ];
    for (const [body, q, msg] of failures) {
      const job = await importFile(body, q);
      expect(job.state).toBe('failed');
      expect(job.error).toMatch(msg);
    }
    expect(await counts()).toEqual(before);
  });
});

describe('GET /api/network/export', () => {
  it('a downstream trace as GeoJSON, CSV and GeoPackage with every reach; as SWMM it imports back as the same network', async () => {
    const [p] = await rows(`SELECT id FROM pipes WHERE network = 'community' AND import_id IS NULL ORDER BY id LIMIT 1 OFFSET 100`);
    const trace = await (await fetch(`${ctx.app.baseUrl}/api/trace?from=pipe:${p.id}&direction=downstream`)).json();
    const n = trace.pipes.count;
    expect(n).toBeGreaterThan(3);
    const q = `from=pipe:${p.id}&direction=downstream`;

    const gj = await fetch(`${ctx.app.baseUrl}/api/network/export?format=geojson&${q}`);
    expect(gj.headers.get('content-type')).toMatch(/geo\+json/);
    expect(gj.headers.get('content-disposition')).toMatch(/attachment; filename="trace-pipe-\d+-downstream.geojson"/);
    expect((await gj.json()).features.map((f: { id: number }) => f.id).sort((a: number, b: number) => a - b)).toEqual([...trace.pipes.ids].sort((a, b) => a - b));

    const csv = (await (await fetch(`${ctx.app.baseUrl}/api/network/export?format=csv&${q}`)).text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(csv[0].split(',')).toContain('wkt');
    expect(csv.length).toBe(n + 1);

    const dir = mkdtempSync(path.join(os.tmpdir(), 'onemap-test-'));
    const gpkg = path.join(dir, 'x.gpkg');
    writeFileSync(gpkg, Buffer.from(await (await fetch(`${ctx.app.baseUrl}/api/network/export?format=gpkg&${q}`)).arrayBuffer()));
    const info = execFileSync('ogrinfo', ['-so', '-al', gpkg], { encoding: 'utf8' });
    expect(info).toMatch(new RegExp(`Layer name: pipes[\\s\\S]*Feature Count: ${n}\\b`));
    expect(info).toMatch(/Layer name: manholes/);
    rmSync(dir, { recursive: true, force: true });

    const inp = await (await fetch(`${ctx.app.baseUrl}/api/network/export?format=inp&${q}`)).text();
    const model = parseSwmm(inp);
    expect(model.conduits.length).toBe(n);
    expect(model.epsg).toBe(32650); // UTM 50N: Wuhan
    const job = await importFile(inp, 'filename=trace.inp');
    expect(job.state, job.error).toBe('done');
    const [diff] = await rows(`
      SELECT count(*)::int AS pipes,
             count(*) FILTER (WHERE o.code <> i.code OR of.code <> i_f.code OR ot.code <> i_t.code)::int AS topology,
             max(abs(o.length_m - i.length_m)) AS dlen,
             max(greatest(ST_Distance(of.geom::geography, i_f.geom::geography), ST_Distance(ot.geom::geography, i_t.geom::geography))) AS dpos,
             max(abs(coalesce(o.up_invert_m - i.up_invert_m, 0))) AS dinv
      FROM pipes o JOIN pipes i ON i.import_id = $1 AND i.code = o.code
      JOIN manholes of ON of.id = o.from_node JOIN manholes ot ON ot.id = o.to_node
      JOIN manholes i_f ON i_f.id = i.from_node JOIN manholes i_t ON i_t.id = i.to_node
      WHERE o.id = ANY($2)`, [job.import!.id, trace.pipes.ids]);
    expect(diff.pipes).toBe(n);
    expect(diff.topology).toBe(0);
    expect(diff.dlen).toBeLessThan(0.01);
    expect(diff.dpos).toBeLessThan(0.01);
    expect(diff.dinv).toBeLessThan(0.01);
  });

  it.each([
    ['/api/network/export?format=shp&ids=1', /format must be equal to one of the allowed values/],
    ['/api/network/export?format=geojson', /give either from and direction/],
    ['/api/network/export?format=geojson&ids=1,x', /ids must match pattern/],
    ['/api/network/export?format=geojson&ids=1&from=pipe:1&direction=upstream', /not both/],
  ])('%s → 400', async (url, msg) => {
    const res = await fetch(ctx.app.baseUrl + url);
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(msg);
  });
});
