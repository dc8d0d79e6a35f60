// `npm run backup [-- FILE]` and `npm run restore -- FILE`: the whole database (the embedded one, or
// DATABASE_URL) with pg_dump's custom format, and back. A restore goes into a new database first and
// replaces the old one only when it succeeded, so a failed restore leaves the running data untouched.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { adminUrl, BIN, DB_NAME, ensureServer, repoRoot } from './db.ts';

function run(cmd: string, args: string[]): void {
  const r = spawnSync(path.join(BIN, cmd), args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} failed (exit ${r.status})`);
}

export function backup(url: string, file: string): void {
  run('pg_dump', ['--format=custom', '--no-owner', '--file', file, url]);
}

/** Restores `file` as database `name` on the server of `url`: into `name_restoring`, then renamed. */
export async function restore(url: string, name: string, file: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  const staging = `${name}_restoring`;
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${staging}"`);
    await admin.query(`CREATE DATABASE "${staging}"`);
    run('pg_restore', ['--no-owner', '--exit-on-error', '--dbname', adminUrl(url, staging), file]);
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`ALTER DATABASE "${staging}" RENAME TO "${name}"`);
  } catch (err) {
    await admin.query(`DROP DATABASE IF EXISTS "${staging}"`).catch(() => {});
    throw err;
  } finally {
    await admin.end();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(repoRoot, 'scripts/backup.ts')) {
  const [command, file] = process.argv.slice(2);
  const url = process.env.DATABASE_URL ?? adminUrl((await ensureServer()).url, DB_NAME);
  try {
    if (command === 'backup') {
      const out = file ?? `wuchang-${new Date().toISOString().replace(/[:.]/g, '-')}.dump`;
      backup(url, out);
      console.log(`[backup] written to ${out}`);
    } else if (command === 'restore' && file) {
      await restore(url, new URL(url).pathname.slice(1) || DB_NAME, file);
      console.log(`[restore] ${file} restored`);
    } else {
      throw new Error('usage: npm run backup [-- FILE] | npm run restore -- FILE');
    }
  } catch (err) {
    console.error(`[backup] ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
