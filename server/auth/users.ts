// Accounts and sessions: the SQL for them, used by the auth routes, the `npm run user` command and tests.
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { ROLES, type Role, type User, type UserPatch, type UserRow } from '../../common/api/auth.ts';
import { BadRequestError, NotFoundError } from '../http/errors.ts';
import { hashPassword, passwordProblem, verifyPassword } from './password.ts';

export { ROLES };
export type { Role, User };

export const SESSION_DAYS = 7;

interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();

const USER_COLUMNS = 'id, username, display_name, role, grids::text[] AS grids, department_code';

/** A handler belongs to a department that exists; an unknown one is the caller's mistake, not a 500. */
async function checkDepartment(db: Queryable, role: Role, department: string | null | undefined): Promise<void> {
  if (role === 'handler' && !department) throw new BadRequestError('a handler (处置人员) needs a department_code: the department whose cases they handle');
  if (department) {
    const { rows } = await db.query('SELECT 1 FROM departments WHERE code = $1', [department]);
    if (!rows[0]) throw new BadRequestError(`unknown department ${JSON.stringify(department)}; see GET /api/departments`);
  }
}

export async function createUser(db: Queryable, u: { username: string; display_name?: string; password: string; role: Role; grids?: string[]; department_code?: string | null }): Promise<User> {
  const problem = passwordProblem(u.password, u.username);
  if (problem) throw new BadRequestError(problem);
  if (!/^[A-Za-z0-9_.-]{2,40}$/.test(u.username)) throw new BadRequestError('username: 2–40 letters, digits, _ . -');
  if (!ROLES.includes(u.role)) throw new BadRequestError(`role must be one of ${ROLES.join(', ')}`);
  // A street (9 digits) or community (12) code stands for all its unit grids (the workflow matches prefixes).
  for (const g of u.grids ?? []) if (!/^\d{9}(\d{3}){0,2}$/.test(g)) throw new BadRequestError(`grid ${JSON.stringify(g)} is not a unit grid (15 digits), community (12) or street (9) code`);
  await checkDepartment(db, u.role, u.department_code);
  const { rows } = await db.query<User>(
    `INSERT INTO users (username, display_name, password_hash, role, grids, department_code) VALUES ($1, $2, $3, $4, $5::text[], $6)
     ON CONFLICT (username) DO NOTHING RETURNING ${USER_COLUMNS}`,
    [u.username, u.display_name ?? u.username, await hashPassword(u.password), u.role, u.grids ?? [], u.department_code ?? null]);
  if (!rows[0]) throw new BadRequestError(`the username ${JSON.stringify(u.username)} is taken`);
  return rows[0];
}

/** The user for a username and password, or null (same answer, same time, for an unknown user). */
export async function checkLogin(db: Queryable, username: string, password: string): Promise<User | null> {
  const { rows } = await db.query<User & { password_hash: string }>(
    `SELECT ${USER_COLUMNS}, password_hash FROM users WHERE username = $1 AND active`, [username]);
  // An unknown user still costs one hash, so timing does not tell which usernames exist.
  const ok = await verifyPassword(password, rows[0]?.password_hash ?? DUMMY_HASH);
  if (!rows[0] || !ok) return null;
  const { password_hash: _, ...user } = rows[0];
  return user;
}
const DUMMY_HASH = 'scrypt$16384$8$2$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export async function createSession(db: Queryable, userId: number, ip: string | null): Promise<{ token: string; expires: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(Date.now() + SESSION_DAYS * 86400_000);
  await db.query('INSERT INTO sessions (token_hash, user_id, expires_at, ip) VALUES ($1, $2, $3, $4)', [sha256(token), userId, expires, ip]);
  return { token, expires };
}

export async function sessionUser(db: Queryable, token: string): Promise<User | null> {
  const { rows } = await db.query<User>(
    `SELECT u.id, u.username, u.display_name, u.role, u.grids::text[] AS grids, u.department_code FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > now() AND u.active`, [sha256(token)]);
  return rows[0] ?? null;
}

export async function endSession(db: Queryable, token: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1 OR expires_at < now()', [sha256(token)]);
}

export async function listUsers(db: Queryable): Promise<(Omit<UserRow, 'created_at'> & { created_at: Date })[]> {
  const { rows } = await db.query<Omit<UserRow, 'created_at'> & { created_at: Date }>(`SELECT ${USER_COLUMNS}, active, created_at FROM users ORDER BY id`);
  return rows;
}

type ActiveUser = User & { active: boolean };

/**
 * Changes an account inside the caller's transaction (which also writes the audit record): the row before
 * and after. A deactivated account, or a new password, ends its sessions.
 */
export async function updateUser(tx: Queryable, id: number, patch: UserPatch): Promise<{ before: ActiveUser; after: ActiveUser }> {
  const { rows: [before] } = await tx.query<ActiveUser>(`SELECT ${USER_COLUMNS}, active FROM users WHERE id = $1 FOR UPDATE`, [id]);
  if (!before) throw new NotFoundError(`no user ${id}`);
  // null clears the department (refused for a handler); absent keeps it.
  const department = patch.department_code === undefined ? before.department_code : patch.department_code;
  await checkDepartment(tx, patch.role ?? before.role, department);
  if (patch.password !== undefined) {
    const problem = passwordProblem(patch.password, before.username);
    if (problem) throw new BadRequestError(problem);
  }
  const { rows: [after] } = await tx.query<ActiveUser>(
    `UPDATE users SET display_name = coalesce($2, display_name), role = coalesce($3, role), grids = coalesce($4::char(15)[], grids),
            active = coalesce($5, active), password_hash = coalesce($6, password_hash), department_code = $7
     WHERE id = $1 RETURNING ${USER_COLUMNS}, active`,
    [id, patch.display_name ?? null, patch.role ?? null, patch.grids ?? null, patch.active ?? null,
      patch.password !== undefined ? await hashPassword(patch.password) : null, department]);
  if (patch.active === false || patch.password !== undefined) await tx.query('DELETE FROM sessions WHERE user_id = $1', [id]);
  return { before, after };
}
