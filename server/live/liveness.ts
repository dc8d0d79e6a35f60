// Liveness of everything that reports: a report (a reading, a position, a camera status) stamps the thing's
// last_seen_at and brings it back if it was offline; the sweep marks offline what has been silent longer
// than it may be (its migration, liveness, holds the intervals as data and the trigger that writes the history and
// the 'liveness' live event). A new kind of reporter (body-worn recorders, staff on duty) is one entry in
// REPORTERS, a row in liveness_defaults and the status trigger on its table.
import type pg from 'pg';
import { inTransaction } from '../db/tx.ts';

export interface Reporter {
  /** Its name in liveness, status_history and the events. */
  thing: string;
  /** Its table: an integer id, a text status ('offline' when silent) and a point geom. */
  table: string;
  /** The column whose value picks its kind's default interval (liveness_defaults.kind); null: the thing's. */
  kindColumn: string | null;
  /** Further assignments when it goes offline ($2 is the sweep's time). */
  offlineSet?: string;
  /** The status it takes when it reports after being offline (SQL over the row); null: the report says (cameras). */
  backStatus: string | null;
}

export const REPORTERS: readonly Reporter[] = [
  {
    thing: 'station', table: 'sensor_stations', kindColumn: 'kind',
    // Its worst datastream, as ingest sets it.
    backStatus: `(SELECT CASE max(CASE level WHEN 'alarm' THEN 2 WHEN 'warning' THEN 1 ELSE 0 END) WHEN 2 THEN 'alarm' WHEN 1 THEN 'warning' ELSE 'normal' END
                  FROM datastreams WHERE station_id = t.id)`,
  },
  { thing: 'vehicle', table: 'vehicles', kindColumn: 'kind', backStatus: `'on_duty'` },
  { thing: 'camera', table: 'cameras', kindColumn: 'kind', offlineSet: ', status_since = $2', backStatus: null },
  // Staff report only while on duty and sharing (server/data/personnel.ts); going off duty forgets their liveness.
  { thing: 'staff', table: 'staff', kindColumn: null, backStatus: `CASE WHEN t.on_duty THEN 'on_duty' ELSE 'off_duty' END` },
  { thing: 'device', table: 'devices', kindColumn: 'kind', backStatus: `'online'` },
];

const reporter = (thing: string): Reporter => {
  const r = REPORTERS.find((x) => x.thing === thing);
  if (!r) throw new Error(`no reporter "${thing}"`);
  return r;
};

/** SQL over the row `t`: the status a thing that was offline takes when it reports (null: the report says). */
export const backStatusOf = (thing: string): string | null => reporter(thing).backStatus;

/**
 * In the transaction of a report: `ids` of `thing` were heard from now; those offline come back. Ids are
 * stamped in order, so concurrent batches queue rather than deadlock.
 */
export async function reported(tx: pg.ClientBase, thing: string, ids: number[]): Promise<void> {
  if (!ids.length) return;
  const r = reporter(thing);
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  await tx.query(
    `INSERT INTO liveness (thing, id, last_seen_at) SELECT $1, t.id, now() FROM ${r.table} t WHERE t.id = ANY($2::int[]) ORDER BY t.id
     ON CONFLICT (thing, id) DO UPDATE SET last_seen_at = excluded.last_seen_at`, [thing, sorted]);
  if (r.backStatus) {
    await tx.query(`UPDATE ${r.table} t SET status = ${r.backStatus} WHERE t.id = ANY($1::int[]) AND t.status = 'offline'`, [sorted]);
  }
}

export interface WentOffline { thing: string; ids: number[] }

/**
 * Marks offline whatever has been silent at `now` for longer than it may be (its own offline_after, else
 * its kind's, else its thing's); things that never reported, and those already down, are left alone.
 * The history and the events carry `now` as the time.
 */
export async function sweepSilent(pool: pg.Pool, now: Date = new Date()): Promise<WentOffline[]> {
  return inTransaction(pool, async (tx) => {
    await tx.query(`SELECT set_config('onemap.status_at', $1, true)`, [now.toISOString()]);
    const out: WentOffline[] = [];
    for (const r of REPORTERS) {
      // Found first and updated only when there are some: an UPDATE of no rows still fires the tables'
      // statement triggers, which would mark the table changed (data page) and drop its tiles every sweep.
      const { rows: due } = await tx.query<{ id: number }>(
        `SELECT t.id FROM ${r.table} t JOIN liveness l ON l.thing = $1 AND l.id = t.id
         WHERE l.last_seen_at IS NOT NULL AND NOT onemap_is_down(t.status)
           AND l.last_seen_at < $2::timestamptz - coalesce(l.offline_after, liveness_offline_after($1, ${r.kindColumn ? `t.${r.kindColumn}` : 'NULL'}))`, [r.thing, now]);
      if (!due.length) continue;
      const { rows } = await tx.query<{ id: number }>(
        `UPDATE ${r.table} t SET status = 'offline'${r.offlineSet ?? ''}
         WHERE t.id = ANY($1::int[]) AND NOT onemap_is_down(t.status) AND $2::timestamptz IS NOT NULL
         RETURNING t.id`, [due.map((d) => d.id), now]);
      if (rows.length) out.push({ thing: r.thing, ids: rows.map((x) => x.id).sort((a, b) => a - b) });
    }
    return out;
  });
}
