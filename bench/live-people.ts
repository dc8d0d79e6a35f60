// The people and devices of the live benchmark: field workers on duty and sharing, each with a session as
// the field app holds one (made in the database: logging in thousands of accounts would measure scrypt),
// devices for the device feed, and a dispatcher whose pages may hear where people are. All removed after.
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';

export interface BenchPeople {
  staffTokens: string[];
  deviceIds: number[];
  dispatcherToken: string;
  /** A point inside the district to walk around. */
  centre: [number, number];
  remove(): Promise<void>;
}

const token = () => randomBytes(32).toString('base64url');
const hash = (t: string) => createHash('sha256').update(t).digest();

export async function benchPeople(db: pg.Client, staff: number, devices: number): Promise<BenchPeople> {
  const tag = `bench${process.pid}`;
  const names = Array.from({ length: staff + 1 }, (_, i) => (i === staff ? `${tag}-dispatcher` : `${tag}-s${i}`));
  const roles = names.map((_, i) => (i === staff ? 'dispatcher' : 'field'));
  const { rows: users } = await db.query<{ id: number; username: string }>(
    `INSERT INTO users (username, display_name, password_hash, role) SELECT u, u, '!bench: no login', r FROM unnest($1::text[], $2::text[]) AS x(u, r) RETURNING id, username`,
    [names, roles]);
  const byName = new Map(users.map((u) => [u.username, u.id]));
  const tokens = names.map(() => token());
  await db.query(`INSERT INTO sessions (token_hash, user_id, expires_at) SELECT h, u, now() + interval '1 day' FROM unnest($1::bytea[], $2::int[]) AS x(h, u)`,
    [tokens.map(hash), names.map((n) => byName.get(n))]);
  const staffUsers = names.slice(0, staff).map((n) => byName.get(n)!);
  await db.query(`INSERT INTO staff (user_id, name, role_kind, on_duty, sharing, duty_since, status)
    SELECT u, 'bench', 'grid_worker', true, true, now(), 'on_duty' FROM unnest($1::int[]) AS u`, [staffUsers]);
  const { rows: devs } = await db.query<{ id: number }>(
    `INSERT INTO devices (code, kind) SELECT '${tag}-d' || i, 'body_camera' FROM generate_series(1, $1) i RETURNING id`, [devices]);
  const { rows: [c] } = await db.query<{ x: number; y: number }>('SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointOnSurface(geom) AS p FROM districts LIMIT 1) d');
  return {
    staffTokens: tokens.slice(0, staff),
    deviceIds: devs.map((d) => d.id),
    dispatcherToken: tokens[staff],
    centre: [c.x, c.y],
    async remove() {
      await db.query(`DELETE FROM track_points WHERE (thing = 'device' AND id = ANY($1)) OR (thing = 'staff' AND id IN (SELECT id FROM staff WHERE user_id = ANY($2)))`, [devs.map((d) => d.id), staffUsers]);
      await db.query(`DELETE FROM liveness WHERE (thing = 'device' AND id = ANY($1)) OR (thing = 'staff' AND id IN (SELECT id FROM staff WHERE user_id = ANY($2)))`, [devs.map((d) => d.id), staffUsers]);
      await db.query('DELETE FROM devices WHERE id = ANY($1)', [devs.map((d) => d.id)]);
      await db.query('DELETE FROM staff WHERE user_id = ANY($1)', [staffUsers]);
      await db.query('DELETE FROM users WHERE id = ANY($1)', [users.map((u) => u.id)]);
    },
  };
}
