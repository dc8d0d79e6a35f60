// A real-sized survey file for import benchmarks and tests: the first n reaches of the seed network exported
// as GeoJSON lines (bench/import.ts; test/integration/interrupt.test.ts), as a SWMM model, or as a zipped GBK
// shapefile in CGCS2000 Gauss-Krüger zone 38 (EPSG:4547) as a surveying office delivers it. Imported with a
// small tolerance (0.05 m), the topology is rebuilt from coincident ends: n pipes and slightly more manholes.
import type pg from 'pg';
import { exportReaches } from '../server/network/export.ts';
import { gbkShapefileZip } from './shapefile.ts';

async function seedPipeIds(pool: pg.Pool, n: number): Promise<number[]> {
  const { rows } = await pool.query<{ id: number }>(`SELECT id FROM pipes WHERE import_id IS NULL ORDER BY id LIMIT $1`, [n]);
  if (rows.length < n) throw new Error(`the database has ${rows.length} seed pipes; ${n} wanted (run the seed first)`);
  return rows.map((r) => r.id);
}

export async function seedNetworkGeoJson(pool: pg.Pool, n: number): Promise<Buffer> {
  return Buffer.from((await exportReaches(pool, await seedPipeIds(pool, n), 'geojson', 'x')).body as string);
}

export async function seedNetworkFile(pool: pg.Pool, n: number, shape: 'inp' | 'shapefile'): Promise<Buffer> {
  if (shape === 'inp') return Buffer.from((await exportReaches(pool, await seedPipeIds(pool, n), 'inp', 'x')).body as string);
  return gbkShapefileZip(await seedNetworkGeoJson(pool, n), 'pipes');
}
