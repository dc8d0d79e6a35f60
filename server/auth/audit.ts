// The audit log: every write records who did what to which thing, with the row before and after, in the
// transaction of the write itself (so there is no change without its record, and no record of a change
// that rolled back). Logins (failed ones too), logouts and ingest batches are recorded as well.
import type pg from 'pg';
import type { AuditEntry as AuditRecord, AuditQuery } from '../../common/api/auth.ts';
import type { User } from './users.ts';

interface Queryable {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

export interface AuditEntry {
  action: string;
  entity: string;
  entity_id: string | number | null;
  before?: unknown;
  after?: unknown;
}

/**
 * The actor of a write: an account, or a named outside party (a citizen through Open311, a sensor feed);
 * anonymous is someone not logged in, named by what they claimed (the username of a failed login).
 */
export type Actor = { user: User } | { name: string; role: 'citizen' | 'system' | 'anonymous' };

/** `from` is the request (for its client address), or null for the server's own work. */
export async function audit(db: Queryable, actor: Actor, from: { ip: string } | null, e: AuditEntry): Promise<void> {
  const [userId, name, role] = 'user' in actor ? [actor.user.id, actor.user.username, actor.user.role] : [null, actor.name, actor.role];
  await db.query(
    `INSERT INTO audit_log (user_id, actor, role, action, entity, entity_id, before, after, ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [userId, name, role, e.action, e.entity, e.entity_id === null ? null : String(e.entity_id),
      e.before === undefined ? null : JSON.stringify(e.before), e.after === undefined ? null : JSON.stringify(e.after), from?.ip ?? null]);
}

export async function readAudit(db: pg.Pool, q: AuditQuery) {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, v: unknown) => { values.push(v); where.push(sql.replace('?', `$${values.length}`)); };
  if (q.entity) add('entity = ?', q.entity);
  if (q.entity_id) add('entity_id = ?', q.entity_id);
  if (q.actor) add('actor = ?', q.actor);
  if (q.before_id) add('id < ?', q.before_id);
  values.push(q.limit);
  const { rows } = await db.query<Omit<AuditRecord, 'at'> & { at: Date }>(
    `SELECT id, at, user_id, actor, role, action, entity, entity_id, before, after, ip FROM audit_log
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${values.length}`, values);
  return { items: rows, next_before_id: rows.length === q.limit ? rows[rows.length - 1].id : null };
}
