// The real server on a free port over a test database of its own.
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { buildApp, type App, type AppOptions } from '../../server/app.ts';
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from './db.ts';
import { createSession, createUser, type Role, type User } from '../../server/auth/users.ts';

export interface RunningApp {
  baseUrl: string;
  db: TestDatabase;
  server: App;
  stop(): Promise<void>;
}

/** The app's options, or a function of its database that gives them (a standby of that database). */
export type TestAppOptions = Omit<AppOptions, 'databaseUrl'> | ((db: TestDatabase) => Omit<AppOptions, 'databaseUrl'>);

/** `empty`: over a database with the migrations only (a district started clean), not the seeded copy. */
export async function startApp(opts: TestAppOptions = {}, empty = false): Promise<RunningApp> {
  const db = await (empty ? createEmptyDatabase() : createTestDatabase());
  const server = await buildApp({ ...(typeof opts === 'function' ? opts(db) : opts), databaseUrl: db.url });
  const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    baseUrl: address,
    db,
    server,
    async stop() {
      await server.close();
      await db.drop();
    },
  };
}

export interface TestAppContext {
  app: RunningApp;
  /** A client on the app's own test database, for setting up and checking data. */
  db: pg.Client;
}

/** The real server and a client on its database for the whole file: started in beforeAll, stopped in afterAll. */
export function useTestApp(opts: TestAppOptions = {}, empty = false): TestAppContext {
  const ctx = {} as TestAppContext;
  beforeAll(async () => {
    ctx.app = await startApp(opts, empty);
    ctx.db = new pg.Client({ connectionString: ctx.app.db.url });
    await ctx.db.connect();
  });
  afterAll(async () => {
    await ctx.db?.end();
    await ctx.app?.stop();
  });
  return ctx;
}

/** The district's bounding box [west, south, east, north]. */
export async function districtBounds(db: pg.Client): Promise<[number, number, number, number]> {
  const { rows } = await db.query(`SELECT ST_XMin(e) w, ST_YMin(e) s, ST_XMax(e) e, ST_YMax(e) n FROM (SELECT ST_Extent(geom) e FROM districts) d`);
  return [rows[0].w, rows[0].s, rows[0].e, rows[0].n];
}

let accounts = 0;
/** A handler belongs to a department: the district's urban management bureau unless a test names another. */
const defaultDepartment = (role: Role) => (role === 'handler' ? 'CGZF' : undefined);
/**
 * A fresh account of `role` on the app's database, logged in through the API: its Authorization header
 * (and the user) for requests.
 */
export async function loginAs(ctx: TestAppContext, role: Role, grids: string[] = [], department = defaultDepartment(role)): Promise<{ headers: Record<string, string>; user: User; password: string }> {
  const username = `t-${role}-${process.pid}-${++accounts}`;
  const password = `pw-${Math.random().toString(36).slice(2)}-long`;
  await createUser(ctx.db, { username, password, role, grids, department_code: department });
  const res = await fetch(`${ctx.app.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login as ${role} failed: ${res.status} ${await res.text()}`);
  const body = await res.json() as { token: string; user: User };
  return { headers: { authorization: `Bearer ${body.token}` }, user: body.user, password };
}

/**
 * A fresh account of `role` with a session made in the database, not through POST /api/auth/login: for
 * tests that must leave the address's login budget (10 a minute) to the tests of the limit itself.
 */
export async function sessionAs(ctx: TestAppContext, role: Role): Promise<{ headers: Record<string, string>; user: User }> {
  const user = await createUser(ctx.db, { username: `s-${role}-${process.pid}-${++accounts}`, password: `pw-${Math.random().toString(36).slice(2)}-long`, role, department_code: defaultDepartment(role) });
  const { token } = await createSession(ctx.db, user.id, null);
  return { headers: { authorization: `Bearer ${token}` }, user };
}
