// How much one import may take from the server. A hostile or broken file hits one of these and ends as a
// failed job; the server goes on answering. Tests lower them to reach them with small files.

export interface ImportLimits {
  /** Each GDAL run (the driver check, ogr2ogr) is killed after this. */
  gdalSeconds: number;
  /** ogr2ogr's GeoJSON output: total bytes, bytes of one feature, features. */
  outputBytes: number;
  featureBytes: number;
  features: number;
  /** A worker task (reading and checking the file, topology) is ended after this. */
  workerSeconds: number;
  /** Heap of that worker: a file that needs more fails its job instead of the server running out of memory. */
  workerHeapMb: number;
}

export const IMPORT_LIMITS: ImportLimits = {
  // 100 MB of GeoJSON reads in well under a minute; ten leaves room for a loaded machine.
  gdalSeconds: 600,
  // A 100 MB upload comes out of ogr2ogr as about 100–300 MB of GeoJSON; 500,000 pipes and as many manholes.
  outputBytes: 1024 ** 3,
  featureBytes: 64 * 1024 ** 2,
  features: 1_000_000,
  workerSeconds: 900,
  workerHeapMb: 4096,
};

export function importLimits(overrides: Partial<ImportLimits> = {}): ImportLimits {
  return { ...IMPORT_LIMITS, ...overrides };
}
