// The environment GDAL runs in for an import: only the declared format's driver, no network, no other file.
// GDAL picks a driver by content and follows references inside files (VRT data sources, PG: connection
// strings, /vsicurl/ paths, CRS links), so an upload could otherwise make it read server files or database
// rows into public data, or connect to internal hosts. Every driver but the allowed ones is deregistered
// (GDAL_SKIP), and the process gets no inherited variables: PGHOST, PGPASSWORD, proxies or GDAL options
// of the server's environment would reach a PG: string or a URL.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Drivers an import may open, by format. */
export const INPUT_DRIVER = { geojson: 'GeoJSON', shapefile: 'ESRI Shapefile', gpkg: 'GPKG', kml: 'KML' } as const;
export type GisFormat = keyof typeof INPUT_DRIVER;
/** ogr2ogr writes what it read as GeoJSON lines with this one. */
export const OUTPUT_DRIVER = 'GeoJSONSeq';

/** Variables of the server's environment GDAL needs to find its own data (never set by a user). */
const PASSED = ['PATH', 'GDAL_DATA', 'PROJ_DATA', 'PROJ_LIB', 'TZ'];

let drivers: Promise<string[]> | null = null;

/** Every driver this GDAL has (vector and raster), as `--formats` names them; read once per process. */
export function gdalDrivers(): Promise<string[]> {
  // Listed as the import's GDAL runs: without plugins (GDAL warns of each skipped driver it does not have).
  const env = { PATH: process.env.PATH, GDAL_DRIVER_PATH: 'disable' };
  drivers ??= Promise.all([run('ogrinfo', ['--formats'], { env }), run('gdalinfo', ['--formats'], { env })]).then((outs) => {
    const names = new Set<string>();
    for (const { stdout } of outs) {
      for (const line of stdout.split('\n')) {
        const m = /^ {2}(.+?) -[a-z]/.exec(line);
        if (m) names.add(m[1]);
      }
    }
    if (!names.has(OUTPUT_DRIVER)) throw new Error(`GDAL has no ${OUTPUT_DRIVER} driver (ogrinfo --formats)`);
    return [...names];
  }).catch((err) => {
    drivers = null;
    throw new Error(`GDAL could not be run (${(err as Error).message}); install gdal-bin`);
  });
  return drivers;
}

/**
 * The driver list read by another thread of this process (the import worker gets the main thread's, which
 * reads it once, instead of running `--formats` twice per import).
 */
export function knowDrivers(list: string[]): void {
  drivers = Promise.resolve(list);
}

/**
 * Variables for a GDAL process of an import that may open only `allowed` drivers, working in `dir` (the
 * import's private temporary folder, also HOME: no user's .gdal/gdalrc or .pgpass is read).
 */
export async function gdalEnv(allowed: string[], dir: string): Promise<NodeJS.ProcessEnv> {
  const skip = (await gdalDrivers()).filter((d) => !allowed.includes(d));
  const env: NodeJS.ProcessEnv = {};
  for (const k of PASSED) if (process.env[k]) env[k] = process.env[k];
  return {
    ...env,
    HOME: dir,
    LANG: 'C.UTF-8',
    // Comma-separated: driver names have spaces. Plugins are not loaded at all.
    GDAL_SKIP: skip.join(','),
    OGR_SKIP: skip.join(','),
    GDAL_DRIVER_PATH: 'disable',
    // Any HTTP GDAL would still try (a CRS given by URL, a /vsicurl/ path) goes to a port nothing listens
    // on, at once, and /vsicurl/ opens no file type at all.
    GDAL_HTTP_PROXY: '127.0.0.1:1',
    GDAL_HTTPS_PROXY: '127.0.0.1:1',
    GDAL_HTTP_TIMEOUT: '1',
    GDAL_HTTP_MAX_RETRY: '0',
    CPL_VSIL_CURL_ALLOWED_EXTENSIONS: '.none',
    // Nor does PROJ fetch transformation grids from its CDN.
    PROJ_NETWORK: 'OFF',
    // Files are opened by the name we give, not found by listing their folder; no .aux.xml beside them is read.
    GDAL_DISABLE_READDIR_ON_OPEN: 'EMPTY_DIR',
    GDAL_PAM_ENABLED: 'NO',
    // Names of zip members without the UTF-8 flag read byte for byte (see shapefileMembers).
    CPL_ZIP_ENCODING: 'ISO-8859-1',
    // GeoPackage views and triggers calling OGR's SQL functions (ogr_datasource_load_layers…) are refused.
    ALLOW_OGR_SQL_FUNCTIONS_FROM_TRIGGER_AND_VIEW: 'NO',
    GDAL_CACHEMAX: '64',
    CPL_TMPDIR: dir,
    OGR_GEOJSON_MAX_OBJ_SIZE: '200',
  };
}
