// Whether the database answers, and what it runs: the figures of /api/health.
import type pg from 'pg';
import type { DataLayerId } from '../../common/api/data.ts';
import type { DatabaseRole } from '../../common/api/health.ts';
import { syntheticLayers } from '../data/layer-status.ts';
import { replicaOf, type ReplicaHealth } from './replica.ts';

/**
 * PostGIS's version, whether the database written to is a primary (a standby here is a misconfiguration),
 * the data layers that still hold the seed's synthetic rows (none for a district started clean or whose
 * every layer was imported), and the read standby as last probed (null: none). Throws while the database is away.
 */
export async function databaseHealth(pool: pg.Pool): Promise<{ postgis: string; role: DatabaseRole; synthetic: boolean; synthetic_layers: DataLayerId[]; replica: ReplicaHealth | null }> {
  const { rows: [r] } = await pool.query<{ postgis: string; standby: boolean }>(`SELECT postgis_lib_version() AS postgis, pg_is_in_recovery() AS standby`);
  const layers = await syntheticLayers(pool);
  return { postgis: r.postgis, role: r.standby ? 'replica' : 'primary', synthetic: layers.length > 0, synthetic_layers: layers, replica: replicaOf(pool)?.health() ?? null };
}
