// Writes to sessions and accounts that go with their audit row, each in one transaction: a login, a
// logout, a new account, an account change. The routes call these; only this folder talks to the tables.
import type pg from 'pg';
import type { User, UserPatch } from '../../common/api/auth.ts';
import { inTransaction } from '../db/tx.ts';
import { audit } from './audit.ts';
import { createSession, createUser, endSession, updateUser } from './users.ts';

type From = { ip: string } | null;

/** A new account made by `by`, in the audit log with what it was made with (never the password). */
export function addUser(pool: pg.Pool, by: User, u: Parameters<typeof createUser>[1], from: From): Promise<User> {
  return inTransaction(pool, async (tx) => {
    const created = await createUser(tx, u);
    await audit(tx, { user: by }, from, { action: 'user.create', entity: 'user', entity_id: created.id, after: created });
    return created;
  });
}

/** A new session for a checked user, and the login in the audit log. */
export function logIn(pool: pg.Pool, user: User, from: From): Promise<{ token: string; expires: Date }> {
  return inTransaction(pool, async (tx) => {
    const session = await createSession(tx, user.id, from?.ip ?? null);
    await audit(tx, { user }, from, { action: 'auth.login', entity: 'user', entity_id: user.id });
    return session;
  });
}

/** Ends a session; only a session that was live (its user known) is a logout in the audit log. */
export function logOut(pool: pg.Pool, token: string, user: User | null, from: From): Promise<void> {
  return inTransaction(pool, async (tx) => {
    await endSession(tx, token);
    if (user) await audit(tx, { user }, from, { action: 'auth.logout', entity: 'user', entity_id: user.id });
  });
}

/** Changes an account as `by` asked, with the before and after in the audit log (a password only as "changed"). */
export function changeUser(pool: pg.Pool, by: User, id: number, patch: UserPatch, from: From) {
  return inTransaction(pool, async (tx) => {
    const { before, after } = await updateUser(tx, id, patch);
    await audit(tx, { user: by }, from, { action: 'user.update', entity: 'user', entity_id: id, before, after: { ...after, password_changed: patch.password !== undefined } });
    return after;
  });
}
