// The CPU-heavy parts of an import, run in a worker thread (import-worker.ts) so that the server's event
// loop keeps answering meanwhile: checking and reading a GIS file (GDAL's output is parsed there), parsing
// a SWMM file, building the network's topology, reading a layer's file (pipeline/read-layer.ts), a basemap's
// (layers/basemap-read.ts) or a ledger's rows (CSV, Excel).
import { readFile } from 'node:fs/promises';
import { BadRequestError } from '../http/errors.ts';
import { knowDrivers, type GisFormat } from './gdal-env.ts';
import { gdalFeatures, type OnSpawn } from './gdal-read.ts';
import { checkGeoJsonCrs } from './geojson-crs.ts';
import type { ImportLimits } from './limits.ts';
import { readBasemapFile, type BasemapReadTask } from './layers/basemap-read.ts';
import { readLayerFile, type LayerReadTask } from './pipeline/read-layer.ts';
import { gisSource, parseSwmmFile, type SourceCrs, type SourceData } from './read.ts';
import type { SwmmModel } from './swmm.ts';
import { buildNetwork, type BuildOptions, type BuiltNetwork } from './topology.ts';
import type { Feature } from 'geojson';
import { gdalTableRows, type Table, type TableSource } from './shapes/gdal-table.ts';

export const MAX_LINKS = 500_000;

export type WorkerTask =
  | { kind: 'gis'; format: GisFormat; file: string; paths: string[]; dir: string; filename: string; crs: SourceCrs; build: BuildOptions; limits: ImportLimits; drivers: string[] }
  | { kind: 'swmm'; text: string }
  | { kind: 'topology'; source: SourceData; build: BuildOptions }
  | LayerReadTask
  | BasemapReadTask
  | { kind: 'table'; src: TableSource; limits: ImportLimits; drivers: string[] };

export interface GisResult { crs: string; crsSource: SourceData['crsSource']; warnings: string[]; net: BuiltNetwork; readMs: number }
export type Stage = 'topology';

/** What a read must hold before its topology is built. */
export function checkSource(source: SourceData): void {
  if (source.links.length > MAX_LINKS) throw new BadRequestError(`the file has ${source.links.length} pipes; at most ${MAX_LINKS} per import`);
  if (!source.links.length) throw new BadRequestError('the file has no line features (pipes) to import');
}

export function topology(source: SourceData, build: BuildOptions): BuiltNetwork {
  const net = buildNetwork(source.nodes, source.links, build);
  if (!net.links.length) throw new BadRequestError('no pipe could be imported (see the reasons: every one was skipped)');
  return net;
}

export async function runTask(task: WorkerTask, onSpawn: OnSpawn, onStage: (stage: Stage) => void): Promise<unknown> {
  if (task.kind === 'swmm') return parseSwmmFile(task.text) satisfies SwmmModel;
  if (task.kind === 'topology') return topology(task.source, task.build);
  if (task.kind === 'layer') return readLayerFile(task, onSpawn);
  if (task.kind === 'basemap') return readBasemapFile(task, onSpawn);
  knowDrivers(task.drivers);
  if (task.kind === 'table') return gdalTableRows(task.src, task.limits, onSpawn) satisfies Promise<Table>;
  const t0 = performance.now();
  if (task.format === 'geojson') checkGeoJsonCrs(await readFile(task.file));
  const features: Feature[] = [];
  const epsg = task.crs && 'epsg' in task.crs ? task.crs.epsg : null;
  for (const path of task.paths) {
    const left = { ...task.limits, features: task.limits.features - features.length };
    for (const f of await gdalFeatures({ path, format: task.format, dir: task.dir, filename: task.filename }, epsg, left, onSpawn)) features.push(f);
  }
  const source = gisSource(features, task.crs);
  checkSource(source);
  const readMs = performance.now() - t0;
  onStage('topology');
  return { crs: source.crs, crsSource: source.crsSource, warnings: source.warnings, net: topology(source, task.build), readMs } satisfies GisResult;
}
