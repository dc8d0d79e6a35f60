// Files as a Chinese surveying office delivers them, for the import benchmarks: GeoJSON turned by ogr2ogr
// into a zipped shapefile in CGCS2000 Gauss-Krüger zone 38 without prefix (EPSG:4547), its DBF in GBK.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipArchive } from '../test/helpers/zip.ts';

export function gbkShapefileZip(geojson: string | Buffer, name: string): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-shp-'));
  try {
    writeFileSync(path.join(dir, 'in.geojson'), geojson);
    execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4547', '-lco', 'ENCODING=GBK', path.join(dir, `${name}.shp`), path.join(dir, 'in.geojson')], { stdio: 'pipe' });
    return zipArchive(Object.fromEntries(readdirSync(dir).filter((f) => f.startsWith(`${name}.`)).map((f) => [f, readFileSync(path.join(dir, f))])));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
