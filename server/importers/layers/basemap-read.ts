// Reading a basemap file in the import worker, with GDAL confined to the declared format's driver as for
// every import (gdal-env.ts): an OSM extract (.osm XML or .pbf) through GDAL's OSM driver, layer by layer
// (points, lines, multipolygons: relations and route lines are not drawn), or a surveying office's GIS file
// (zipped Shapefiles, GeoPackage, GeoJSON, KML) one layer at a time, each layer told roads, water, buildings
// or labels by its name or geometry (basemap-classify.ts). Every feature is classified here, so only what
// the basemap draws goes back to the main thread.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BadRequestError } from '../../http/errors.ts';
import { knowDrivers, OUTPUT_DRIVER } from '../gdal-env.ts';
import { openWithDriver, openOptionArgs, streamRecords, type OnSpawn } from '../gdal-read.ts';
import { checkGeoJsonCrs } from '../geojson-crs.ts';
import type { ImportLimits } from '../limits.ts';
import type { BasemapFormat } from '../pipeline/formats.ts';
import { mapCoordinates } from '../pipeline/positions.ts';
import { zippedShapefiles } from '../pipeline/read-layer.ts';
import { toWgs84, type Crs } from '../shapes/crs.ts';
import { decodeText, detectTextEncoding, type EncodingGuess, type TextEncodingName } from '../shapes/encoding.ts';
import { garbledColumns } from '../shapes/garbled.ts';
import { classifyOsm, classifySurvey, familyOf, surveyLayer, type BasemapFeature, type SourceFeature } from './basemap-classify.ts';


const DRIVER: Record<BasemapFormat, string> = { osm: 'OSM', shapefile: 'ESRI Shapefile', gpkg: 'GPKG', geojson: 'GeoJSON', kml: 'KML' };
const WORDS: Record<BasemapFormat, string> = { osm: 'an OpenStreetMap extract (.osm or .pbf)', shapefile: 'a Shapefile', gpkg: 'a GeoPackage', geojson: 'GeoJSON', kml: 'KML' };
/** The OSM driver's layers the basemap draws from. */
const OSM_LAYERS = ['points', 'lines', 'multipolygons'];

export interface BasemapReadTask {
  kind: 'basemap';
  format: BasemapFormat;
  file: string;
  dir: string;
  filename: string;
  encoding: TextEncodingName | null;
  crs: Crs | null;
  limits: ImportLimits;
  drivers: string[];
}

export interface BasemapSource {
  features: BasemapFeature[];
  read: number;
  /** Features not drawn, by why. */
  skipped: Record<string, number>;
  /** Each layer of the file and what it was read as. */
  sources: { layer: string; as: string; features: number }[];
  encoding: Pick<EncodingGuess, 'encoding' | 'from'> | null;
  warnings: string[];
  readMs: number;
}

interface Opened { path: string; openOptions?: string[]; name: string }

export async function readBasemapFile(task: BasemapReadTask, onSpawn: OnSpawn): Promise<BasemapSource> {
  knowDrivers(task.drivers);
  const t0 = performance.now();
  const warnings: string[] = [];
  let encoding: BasemapSource['encoding'] = null;
  const files: Opened[] = [];
  if (task.format === 'shapefile') {
    const zipped = await zippedShapefiles(task.file, task.encoding);
    warnings.push(...zipped.warnings);
    encoding = zipped.encoding;
    files.push(...zipped.layers);
    if (!files.length) throw new BadRequestError('the zip archive holds no .shp file; zip each layer\'s .shp, .shx, .dbf and .prj');
  } else if (task.format === 'geojson') {
    const bytes = await readFile(task.file);
    checkGeoJsonCrs(bytes);
    const guess = detectTextEncoding(bytes, { override: task.encoding ?? undefined });
    encoding = { encoding: guess.encoding, from: guess.from };
    if (guess.encoding !== 'utf-8') await writeFile(task.file, decodeText(bytes.subarray(guess.bom), guess.encoding));
    files.push({ path: task.file, name: path.basename(task.filename, path.extname(task.filename)) });
  } else files.push({ path: task.file, name: path.basename(task.filename, path.extname(task.filename)) });

  const out: BasemapSource = { features: [], read: 0, skipped: {}, sources: [], encoding, warnings, readMs: 0 };
  const skip = (why: string) => { out.skipped[why] = (out.skipped[why] ?? 0) + 1; };
  const unknownClasses = new Map<string, number>();
  for (const file of files) {
    const listed = await openWithDriver({ ...file, dir: task.dir, filename: task.filename, driver: DRIVER[task.format], words: WORDS[task.format] }, task.limits, onSpawn, 1000);
    const layers = task.format === 'osm' ? OSM_LAYERS : task.format === 'shapefile' ? [null] : layerNames(listed);
    for (const layer of layers) {
      const features = await readLayer(task, file, layer, out.read, onSpawn);
      out.read += features.length;
      const source = layer ?? file.name;
      if (task.format === 'osm') {
        let kept = 0;
        for (const f of features) {
          const c = classifyOsm({ source, properties: f.properties, geometry: f.geometry });
          if ('skip' in c) skip(c.skip);
          else { out.features.push(c); kept++; }
        }
        out.sources.push({ layer: source, as: 'osm', features: kept });
        continue;
      }
      if (!features.length) continue;
      const headers = [...new Set(features.flatMap((f) => Object.keys(f.properties)))];
      const garbled = garbledColumns(features.map((f) => f.properties), { decodedAs: encoding?.encoding as TextEncodingName | undefined, flag: 'encoding=' });
      if (garbled.length) throw new BadRequestError(`layer ${JSON.stringify(source)}: ${garbled.map((g) => g.message).join('; ')}`);
      const family = familyOf(features.find((f) => f.geometry)?.geometry ?? null);
      const how = surveyLayer(source, family, headers);
      if (!how) { for (const _ of features) skip(`layer ${source}: no roads, water, buildings or labels`); continue; }
      let kept = 0;
      for (const f of features) {
        const c = classifySurvey({ source, ...f }, how, unknownClasses);
        if ('skip' in c) skip(c.skip);
        else { out.features.push(c); kept++; }
      }
      out.sources.push({ layer: source, as: how.role, features: kept });
      if (how.role === 'roads' && !how.class) warnings.push(`layer ${JSON.stringify(source)} has no road class column (等级/道路等级/class): its roads are drawn as residential`);
    }
  }
  if (unknownClasses.size) {
    warnings.push(`road classes not known, drawn as residential: ${[...unknownClasses].slice(0, 10).map(([v, n]) => `${JSON.stringify(v)} (${n})`).join(', ')}; known: 快速路, 主干路, 次干路, 支路 or trunk, primary, secondary, residential`);
  }
  if (!out.read) throw new BadRequestError('the file has no features to import');
  if (!out.features.length) throw new BadRequestError(`none of the file's ${out.read} features is a road, water body, building or place label the basemap draws (${topReasons(out.skipped)})`);
  out.readMs = performance.now() - t0;
  return out;
}

const topReasons = (skipped: Record<string, number>) =>
  Object.entries(skipped).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, n]) => `${n} ${k}`).join('; ');

/** Layer names from ogrinfo's listing ("1: 道路 (Line String)"). */
export function layerNames(listing: readonly string[]): string[] {
  const names: string[] = [];
  for (const line of listing) {
    const m = /^\d+: (.+?)(?: \([^()]*\))?$/.exec(line);
    if (m) names.push(m[1]);
  }
  return names;
}

type ReadFeature = Omit<SourceFeature, 'source'>;

async function readLayer(task: BasemapReadTask, file: Opened, layer: string | null, before: number, onSpawn: OnSpawn): Promise<ReadFeature[]> {
  // A layer name is an argument of ogr2ogr: one that looks like an option would be read as one.
  if (layer !== null && (layer.startsWith('-') || layer.length > 200)) throw new BadRequestError(`the file has a layer named ${JSON.stringify(layer.slice(0, 40))}, which cannot be read; rename it`);
  const args = ['-f', OUTPUT_DRIVER, '/vsistdout/', file.path, ...(layer !== null ? [layer] : []), '-t_srs', 'EPSG:4326', '-lco', 'RS=NO', ...openOptionArgs(file)];
  // GCJ-02 and BD-09 are no CRS GDAL knows: their numbers are read as WGS84 and corrected below.
  if (task.crs) args.push('-s_srs', `EPSG:${task.crs.kind === 'epsg' ? task.crs.epsg : 4326}`);
  const features: ReadFeature[] = [];
  const limits = { ...task.limits, features: task.limits.features - before };
  await streamRecords(args, [DRIVER[task.format], OUTPUT_DRIVER], { dir: task.dir, filename: task.filename, words: WORDS[task.format] }, limits, onSpawn, {
    tooManyBytes: ' of GeoJSON', noun: 'features', notJson: 'GDAL could not turn one of its features into GeoJSON',
    count: () => features.length,
    add: (line) => {
      const f = JSON.parse(line) as GeoJSON.Feature;
      features.push({ properties: f.properties ?? {}, geometry: f.geometry ?? null });
    },
    failure: (reason) => /coordinate system|transform/i.test(reason) ? `layer ${JSON.stringify(layer ?? file.name)} has no coordinate system GDAL can read (${reason}); give crs=EPSG:<code>` : null,
  });
  // Copied from Amap or Baidu: GDAL read the numbers as they are; corrected to WGS84 here.
  const crs = task.crs;
  if (crs && crs.kind !== 'epsg') for (const f of features) if (f.geometry) f.geometry = mapCoordinates(f.geometry, ([x, y]) => toWgs84(x, y, crs));
  return features;
}
