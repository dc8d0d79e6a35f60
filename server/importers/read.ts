// Reading survey files into source nodes and links in WGS84. GIS formats (GeoJSON, zipped Shapefile,
// GeoPackage) are read by GDAL's ogr2ogr, the standard reader, which also applies the file's CRS (.prj,
// GeoPackage SRS, GeoJSON crs); SWMM .inp by our parser (swmm.ts), its coordinates transformed from the
// EPSG code in its title or the one given. GCJ-02 (Chinese phone maps) is converted by gcoord.
import type { CrsSource } from '../../common/api/imports.ts';
import { crsSourceOf, FROM_FILE } from './shapes/crs-source.ts';
import gcoord from 'gcoord';
import { BadRequestError } from '../http/errors.ts';
import { conduitDiameterMm, lengthToMetres, parseSwmm, SwmmParseError, usUnits, type SwmmModel, type SwmmNode } from './swmm.ts';
import type { NodeKind, SourceLink, SourceNode, Usage } from './topology.ts';
import type { Feature } from 'geojson';

export type ImportFormat = 'geojson' | 'shapefile' | 'gpkg' | 'swmm';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['geojson', 'shapefile', 'gpkg', 'swmm'];

/** The source CRS as the user may give it: an EPSG code, or GCJ-02 for coordinates from Chinese web maps. */
export type SourceCrs = { epsg: number } | { gcj02: true } | null;

export interface SourceData {
  nodes: SourceNode[];
  links: SourceLink[];
  /** What CRS the coordinates were read in, in words for the report. */
  crs: string;
  /** The same as values (EPSG code, where it came from), for a client's own words. */
  crsSource: CrsSource;
  warnings: string[];
}

interface Queryable {
  query<R extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

export function parseSourceCrs(raw: string | undefined): SourceCrs {
  if (!raw) return null;
  const s = raw.trim().toLowerCase();
  if (s === 'gcj02' || s === 'gcj-02') return { gcj02: true };
  const m = /^(?:epsg:)?(\d{4,6})$/.exec(s);
  if (!m) throw new BadRequestError(`crs ${JSON.stringify(raw.slice(0, 40))} is not understood; give EPSG:<code> (e.g. EPSG:4326, EPSG:2817) or gcj02`);
  return { epsg: Number(m[1]) };
}

/** Checks the bytes are what the format claims, before any parser sees them. */
export function checkMagic(buf: Buffer, format: ImportFormat): void {
  const head = buf.subarray(0, 16).toString('latin1');
  const text = buf.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  const ok = {
    shapefile: head.startsWith('PK\x03\x04'),
    gpkg: head.startsWith('SQLite format 3\0'),
    geojson: text.startsWith('{'),
    swmm: /^\s*(;.*\n\s*)*\[[A-Za-z_]+\]/.test(text),
  }[format];
  const what = { shapefile: 'a zip archive (zipped Shapefile)', gpkg: 'a GeoPackage (SQLite) file', geojson: 'a GeoJSON object', swmm: 'a SWMM .inp file (it should begin with a [SECTION])' }[format];
  if (!ok) throw new BadRequestError(`the file is not ${what}; check the format chosen`);
}

// ---------------------------------------------------------------------------------------------------
// GIS features (read by GDAL: gdal-read.ts) to nodes and links

/** The first property whose name (case- and separator-insensitive) is one of `names`. */
function pick(props: Record<string, unknown>, names: string[]): unknown {
  const norm = (s: string) => s.toLowerCase().replace(/[\s_\-.]/g, '');
  const wanted = new Set(names.map(norm));
  for (const [k, v] of Object.entries(props)) if (wanted.has(norm(k)) && v !== null && v !== '' && v !== ' ') return v;
  return undefined;
}
const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
  return Number.isFinite(n) ? n : null;
};
const str = (v: unknown): string | null => (v === undefined || v === null ? null : String(v).trim() || null);

const CODE_FIELDS = ['code', 'id', 'name', 'pipe_id', 'pipeid', 'facilityid', 'assetid', 'gisid', 'uid', 'mh_id', 'manhole_id', '编号', '管线编号', '管段编号', '井编号', '点号'];
const FROM_FIELDS = ['from_node', 'fromnode', 'from', 'us_node', 'usnode', 'upstream', 'start_node', 'startnode', 'inlet_node', '起点', '起点点号', '起始点号'];
const TO_FIELDS = ['to_node', 'tonode', 'to', 'ds_node', 'dsnode', 'downstream', 'end_node', 'endnode', 'outlet_node', '终点', '终点点号', '连接点号'];
const DIAMETER_FIELDS = ['diameter_mm', 'diameter', 'diam', 'dia', 'size', 'pipe_size', 'pipesize', 'width', '管径'];
const MATERIAL_FIELDS = ['material', 'mat', 'pipe_material', '材质'];
const UP_INVERT_FIELDS = ['up_invert_m', 'up_invert', 'us_invert', 'usinvert', 'upstream_invert', 'start_invert', 'inlet_elev', '起点管底高程'];
const DOWN_INVERT_FIELDS = ['down_invert_m', 'down_invert', 'ds_invert', 'dsinvert', 'downstream_invert', 'end_invert', 'outlet_elev', '终点管底高程'];
const INVERT_FIELDS = ['invert_m', 'invert', 'invert_elev', 'invertelev', 'bottom_level', '管底高程', '井底高程'];
const GROUND_FIELDS = ['ground_m', 'ground', 'rim', 'rim_elev', 'cover_level', 'ground_elev', '地面高程'];
const USAGE_FIELDS = ['usage', 'system_type', 'systemtype', 'system', 'type', 'function', '类别', '管线类别', '用途'];
const KIND_FIELDS = ['kind', 'type', 'node_type', 'feature', '附属物', '类型'];

export function usageOf(v: unknown): Usage | null {
  const s = String(v ?? '').toLowerCase();
  if (/combined|合流/.test(s)) return 'combined';
  if (/storm|rain|surface|雨/.test(s)) return 'rain';
  if (/sewer|sanitary|waste|foul|污/.test(s)) return 'sewage';
  return null;
}

function kindOf(v: unknown): NodeKind {
  const s = String(v ?? '').toLowerCase();
  if (/outfall|outlet|排口|出水口/.test(s)) return 'outfall';
  if (/inlet|catch ?basin|gully|雨篦|进水/.test(s)) return 'inlet';
  if (/storage|tank|pond|调蓄/.test(s)) return 'storage';
  if (/junction|node|连接/.test(s)) return 'junction';
  return 'manhole';
}

/** Diameter in mm: values under 10 are metres, under 100 inches (US plans), else millimetres. */
function diameterMm(v: unknown): number | null {
  const n = num(typeof v === 'string' ? v.replace(/[^\d.]/g, '') : v);
  if (n === null || n <= 0) return null;
  if (n < 10) return Math.round(n * 1000);
  if (n < 100) return Math.round(n * 25.4);
  return Math.round(n);
}

export function gisSource(features: Feature[], crs: SourceCrs): SourceData {
  const warnings: string[] = [];
  const toWgs = crs && 'gcj02' in crs
    ? (p: number[]) => gcoord.transform([p[0], p[1]] as [number, number], gcoord.GCJ02, gcoord.WGS84) as [number, number]
    : (p: number[]) => [p[0], p[1]] as [number, number];
  const nodes: SourceNode[] = [];
  const links: SourceLink[] = [];
  const codes = new Set<string>();
  const unique = (props: Record<string, unknown>, prefix: string, i: number) => {
    // An id column that repeats (town GIS exports with OBJECTID 0 on every feature) is no id: number the features.
    const c = str(pick(props, CODE_FIELDS));
    const code = c && !codes.has(`${prefix}${c}`) ? c : `${prefix}${i + 1}`;
    codes.add(`${prefix}${code}`);
    return code;
  };
  let other = 0;
  const broken = features.findIndex((f) => !f.geometry);
  if (broken >= 0) throw new BadRequestError(`feature ${broken + 1} has a broken geometry (GDAL could not read its coordinates); nothing was imported`);
  features.forEach((f, i) => {
    const props = (f.properties ?? {}) as Record<string, unknown>;
    const g = f.geometry;
    if (g.type === 'MultiLineString' || g.type === 'LineString') {
      const parts = g.type === 'LineString' ? [g.coordinates] : g.coordinates;
      const base = unique(props, 'L', i);
      parts.forEach((part, k) => {
        links.push({
          code: parts.length > 1 ? `${base}-${k + 1}` : base,
          from: parts.length > 1 ? null : str(pick(props, FROM_FIELDS)),
          to: parts.length > 1 ? null : str(pick(props, TO_FIELDS)),
          coords: part.map(toWgs),
          diameter_mm: diameterMm(pick(props, DIAMETER_FIELDS)),
          material: str(pick(props, MATERIAL_FIELDS)),
          usage: usageOf(pick(props, USAGE_FIELDS)),
          up_invert_m: num(pick(props, UP_INVERT_FIELDS)),
          down_invert_m: num(pick(props, DOWN_INVERT_FIELDS)),
          length_m: null,
        });
      });
    } else if (g.type === 'MultiPoint' || g.type === 'Point') {
      const pts = g.type === 'Point' ? [g.coordinates] : g.coordinates;
      const base = unique(props, 'P', i);
      pts.forEach((p, k) => nodes.push({
        code: pts.length > 1 ? `${base}-${k + 1}` : base,
        kind: kindOf(pick(props, KIND_FIELDS)),
        lon: toWgs(p)[0], lat: toWgs(p)[1],
        invert_m: num(pick(props, INVERT_FIELDS)),
        ground_m: num(pick(props, GROUND_FIELDS)),
      }));
    } else other++;
  });
  if (other) warnings.push(`${other} features that are neither lines nor points (e.g. service-area polygons) were ignored`);
  // From/to attributes only count when every link has both and they name nodes of the file.
  const names = new Set(nodes.map((n) => n.code));
  if (!links.every((l) => l.from && l.to && names.has(l.from) && names.has(l.to))) {
    for (const l of links) { l.from = null; l.to = null; }
  }
  const crsText = crs && 'gcj02' in crs ? 'GCJ-02 (converted to WGS84)' : crs && 'epsg' in crs ? `EPSG:${crs.epsg} (given)` : 'from the file (GDAL)';
  const crsSource = crs && 'gcj02' in crs ? crsSourceOf({ kind: 'gcj02' }, 'given') : crs && 'epsg' in crs ? crsSourceOf({ kind: 'epsg', epsg: crs.epsg }, 'given') : FROM_FILE;
  return { nodes, links, crs: crsText, crsSource, warnings };
}

// ---------------------------------------------------------------------------------------------------
// SWMM

/** Parsing is CPU work for the import worker; the coordinates are then transformed by PostGIS (swmmSource). */
export function parseSwmmFile(text: string): SwmmModel {
  try {
    return parseSwmm(text);
  } catch (err) {
    if (err instanceof SwmmParseError) throw new BadRequestError(`not a valid SWMM .inp file: ${err.message}`);
    throw err;
  }
}

export async function swmmSource(model: SwmmModel, crs: SourceCrs, db: Queryable): Promise<SourceData> {
  const epsg = crs && 'epsg' in crs ? crs.epsg : model.epsg;
  if (!epsg && !(crs && 'gcj02' in crs)) {
    throw new BadRequestError('the SWMM file does not say its coordinate system (no EPSG code in its [TITLE]); give crs=EPSG:<code>');
  }
  const units = model.options.FLOW_UNITS;
  const us = usUnits(units);
  const elevOffsets = model.options.LINK_OFFSETS === 'ELEVATION';
  const toM = (v: number) => lengthToMetres(v, units);
  const all: SwmmNode[] = [...model.junctions, ...model.outfalls, ...model.storage, ...model.dividers];
  const warnings = [...model.warnings];
  const placed = all.filter((n) => model.coordinates.has(n.name));
  if (placed.length < all.length) warnings.push(`${all.length - placed.length} nodes have no coordinates and were left out`);

  // Every coordinate (nodes, then link vertices) transformed in one statement.
  const xs: number[] = [];
  const ys: number[] = [];
  for (const n of placed) { const [x, y] = model.coordinates.get(n.name)!; xs.push(x); ys.push(y); }
  for (const c of model.conduits) for (const [x, y] of model.vertices.get(c.name) ?? []) { xs.push(x); ys.push(y); }
  let lonlat: [number, number][];
  if (epsg) {
    const { rows: srs } = await db.query<{ n: string }>('SELECT count(*) AS n FROM spatial_ref_sys WHERE srid = $1', [epsg]);
    if (!Number(srs[0].n)) throw new BadRequestError(`EPSG:${epsg} is not a coordinate system PostGIS knows`);
    const { rows } = await db.query<{ x: number; y: number }>(
      `SELECT ST_X(g) AS x, ST_Y(g) AS y FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(x, y), $3::int), 4326) AS g, i
        FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS u(x, y, i)) t ORDER BY i`, [xs, ys, epsg]);
    lonlat = rows.map((r) => [r.x, r.y]);
  } else {
    lonlat = xs.map((x, i) => gcoord.transform([x, ys[i]] as [number, number], gcoord.GCJ02, gcoord.WGS84) as [number, number]);
  }
  if (lonlat.some(([x, y]) => !Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > 180 || Math.abs(y) > 90)) {
    throw new BadRequestError(`the coordinates do not transform from ${epsg ? `EPSG:${epsg}` : 'GCJ-02'} to valid longitudes/latitudes; check the CRS`);
  }
  const kindOfSwmm: Record<SwmmNode['kind'], NodeKind> = { junction: 'manhole', outfall: 'outfall', storage: 'storage', divider: 'junction' };
  const nodes: SourceNode[] = placed.map((n, i) => ({
    code: n.name, kind: kindOfSwmm[n.kind], lon: lonlat[i][0], lat: lonlat[i][1],
    invert_m: toM(n.invert), ground_m: n.maxDepth !== null ? toM(n.invert + n.maxDepth) : null,
  }));
  const pos = new Map(nodes.map((n) => [n.code, [n.lon, n.lat] as [number, number]]));
  const invert = new Map(all.map((n) => [n.name, n.invert]));
  let v = placed.length;
  let unplaced = 0;
  const links: SourceLink[] = [];
  for (const c of model.conduits) {
    const verts = (model.vertices.get(c.name) ?? []).map(() => lonlat[v++]);
    const a = pos.get(c.from);
    const b = pos.get(c.to);
    if (!a || !b) { unplaced++; continue; }
    // Offsets are depths above the node invert (LINK_OFFSETS DEPTH) or elevations; '*' = at the invert.
    const end = (node: string, off: number | null) => (off === null ? invert.get(node)! : elevOffsets ? off : invert.get(node)! + off);
    links.push({
      code: c.name, from: c.from, to: c.to, coords: [a, ...verts, b],
      diameter_mm: conduitDiameterMm(model.xsections.get(c.name), units),
      material: null, usage: null,
      up_invert_m: toM(end(c.from, c.inOffset)), down_invert_m: toM(end(c.to, c.outOffset)),
      length_m: toM(c.length),
    });
  }
  if (unplaced) warnings.push(`${unplaced} conduits join a node without coordinates and were left out`);
  const crsSource = epsg ? crsSourceOf({ kind: 'epsg', epsg }, crs ? 'given' : 'file') : crsSourceOf({ kind: 'gcj02' }, 'given');
  return { nodes, links, crs: epsg ? `EPSG:${epsg}${crs ? ' (given)' : ' (from the [TITLE])'}, ${us ? 'US units converted to metres' : 'SI units'}` : 'GCJ-02 (converted to WGS84)', crsSource, warnings };
}
