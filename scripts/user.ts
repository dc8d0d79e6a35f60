// `npm run user -- create --username NAME --role admin|dispatcher|field|handler|planner|commander [--grids CODE,CODE]
// [--department CODE] [--name 显示名]` (a handler, 处置人员, needs --department):
// creates an account in the database (the embedded one, or DATABASE_URL). The password is read from the
// environment variable ONEMAP_PASSWORD, or asked for on the terminal (not echoed). `npm run user -- list`.
import { createInterface } from 'node:readline';
import pg from 'pg';
import { migrate } from '../server/db/migrate.ts';
import { ApiError } from '../server/http/errors.ts';
import { createUser, listUsers, ROLES, type Role } from '../server/auth/users.ts';
import { adminUrl, DB_NAME, ensureServer } from './db.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

async function askPassword(): Promise<string> {
  if (process.env.ONEMAP_PASSWORD) return process.env.ONEMAP_PASSWORD;
  if (!process.stdin.isTTY) throw new Error('set ONEMAP_PASSWORD or run in a terminal to be asked for the password');
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Hide the typed characters: write nothing back for them.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => { if (s.includes('password')) process.stdout.write(s); };
  const answer = await new Promise<string>((resolve) => rl.question('password: ', resolve));
  rl.close();
  process.stdout.write('\n');
  return answer;
}

const [command] = process.argv.slice(2);
const url = process.env.DATABASE_URL ?? adminUrl((await ensureServer()).url, DB_NAME);
const db = new pg.Client({ connectionString: url });
await db.connect();
try {
  await migrate(db);
  if (command === 'create') {
    const username = arg('username');
    const role = arg('role') as Role | undefined;
    if (!username || !role || !ROLES.includes(role)) throw new Error(`usage: npm run user -- create --username NAME --role ${ROLES.join('|')} [--grids CODE,…] [--department CODE] [--name 显示名]`);
    const user = await createUser(db, { username, role, display_name: arg('name'), grids: arg('grids')?.split(',').filter(Boolean), department_code: arg('department'), password: await askPassword() });
    await db.query(`INSERT INTO audit_log (actor, role, action, entity, entity_id, after) VALUES ('cli', 'admin', 'user.create', 'user', $1, $2)`, [String(user.id), JSON.stringify(user)]);
    console.log(`[user] created ${user.username} (${user.role}), id ${user.id}`);
  } else if (command === 'list') {
    for (const u of await listUsers(db)) console.log(`${u.id}\t${u.username}\t${u.role}\t${u.active ? 'active' : 'inactive'}\t${u.grids.length} grids`);
  } else {
    throw new Error('usage: npm run user -- create|list …');
  }
} catch (err) {
  console.error(`[user] ${err instanceof ApiError ? err.message : (err as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.end();
}
