// A real-sized survey file for import benchmarks and tests: the first n reaches of the seed network exported
// as GeoJSON lines (bench/import.ts; test/integration/interrupt.test.ts). Imported with a small tolerance
// (0.05 m), the topology is rebuilt from coincident ends: n pipes and slightly more manholes.
import type pg from 'pg';
import { exportReaches } from '../server/network/export.ts';

export async function seedNetworkGeoJson(pool: pg.Pool, n: number): Promise<Buffer> {
  const { rows } = await pool.query<{ id: number }>(`SELECT id FROM pipes WHERE import_id IS NULL ORDER BY id LIMIT $1`, [n]);
  if (rows.length < n) throw new Error(`the database has ${rows.length} seed pipes; ${n} wanted (run the seed first)`);
  return Buffer.from((await exportReaches(pool, rows.map((r) => r.id), 'geojson', 'x')).body as string);
}
