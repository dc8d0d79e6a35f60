// A backend whose client is gone (the process killed, the connection dropped) finds out only when it next
// talks to it: killed in the middle of a long statement, it runs the statement to its end — seconds for an
// import, minutes for a large seed — inside the open transaction, holding its locks, and only then rolls back.
// client_connection_check_interval (PostgreSQL ≥ 14) makes it check while it runs and stop within a second.
import type pg from 'pg';

/** For the current transaction (`local`, on pooled connections) or the whole session (a script's own client). */
export async function stopWhenClientGone(db: pg.ClientBase | pg.Pool, local: boolean): Promise<void> {
  await db.query(
    `SELECT set_config('client_connection_check_interval', '1s', $1) WHERE current_setting('server_version_num')::int >= 140000`,
    [local]);
}
