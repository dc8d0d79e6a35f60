// Whether the database answers, and what it runs: the figures of /api/health.
import type pg from 'pg';

/** PostGIS's version, and whether the district loaded is the seed's synthetic one. Throws while the database is away. */
export async function databaseHealth(pool: pg.Pool): Promise<{ postgis: string; synthetic: boolean }> {
  const { rows: [r] } = await pool.query<{ postgis: string; synthetic: boolean }>(
    `SELECT postgis_lib_version() AS postgis, EXISTS (SELECT 1 FROM districts WHERE true) AND EXISTS (SELECT 1 FROM streets WHERE synthetic) AS synthetic`);
  return r;
}
