// The last events of the live log, for a page that opens (or reloads) and should show what happened a
// moment ago instead of an empty feed. Read newest first within the last MAX_REPLAY events only, so an
// anonymous wall asking for rare kinds under a flood of readings costs one bounded index range.
import type pg from 'pg';
import type { LiveKind, RecentAnswer } from '../../common/api/live.ts';
import { MAX_REPLAY, type EventFilter, type LiveEvent } from './hub.ts';

/**
 * Up to `limit` of the newest events of `kinds` (all kinds when null) that `admits` lets through, oldest
 * first, and the last id of the log when read: a stream opened with it as Last-Event-ID misses nothing after.
 */
export async function recentEvents(db: pg.Pool, kinds: string[] | null, limit: number, admits: EventFilter): Promise<RecentAnswer> {
  const { rows: [{ last }] } = await db.query<{ last: string }>('SELECT coalesce(max(id), 0)::text AS last FROM live_events');
  // A reader with a filter (a field worker) reads the whole window and keeps what it may see.
  const { rows } = await db.query<LiveEvent & { at: Date }>(
    `SELECT e.id::text AS id, e.kind, e.payload::text AS payload, e.at FROM live_events e
     WHERE e.id > $1::bigint - $2::bigint AND e.id <= $1::bigint AND ($3::text[] IS NULL OR e.kind = ANY($3::text[]))
     ORDER BY e.id DESC ${admits ? '' : 'LIMIT $4'}`,
    admits ? [last, MAX_REPLAY, kinds] : [last, MAX_REPLAY, kinds, limit]);
  const kept = (admits ? rows.filter(admits) : rows).slice(0, limit).reverse();
  // The log holds only the kinds its triggers write (migration 010).
  return { events: kept.map((e) => ({ id: e.id, kind: e.kind as LiveKind, at: e.at.toISOString(), data: JSON.parse(e.payload) as unknown })), last_id: last };
}
