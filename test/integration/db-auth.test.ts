// The embedded cluster lets nobody in without its password, on TCP or on its socket: with `trust`, any
// local process (a GDAL reader handed a PG: connection string, another user's script) was superuser.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { clusterDir, runningPort } from '../../scripts/db.ts';

const url = new URL(inject('databaseUrl'));
const embedded = !process.env.DATABASE_URL;

async function login(connectionString: string): Promise<string> {
  const c = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
    const { rows } = await c.query<{ u: string }>('SELECT current_user AS u');
    return `logged in as ${rows[0].u}`;
  } catch (e) {
    return `refused: ${(e as Error).message}`;
  } finally {
    await c.end().catch(() => {});
  }
}

describe.runIf(embedded)('the embedded cluster', () => {
  it('refuses a TCP login without the password or with a wrong one, and takes the right one', async () => {
    const bare = new URL(url);
    bare.password = '';
    expect(await login(bare.toString())).toMatch(/^refused/);
    const wrong = new URL(url);
    wrong.password = 'not-the-password';
    expect(await login(wrong.toString())).toMatch(/^refused: password authentication failed/);
    expect(await login(url.toString())).toBe('logged in as postgres');
  });

  it('refuses a passwordless login on its Unix socket too (psql, as GDAL would connect)', () => {
    const dir = clusterDir();
    const port = runningPort(dir);
    expect(port).toBe(Number(url.port));
    // -w: never prompt; no PGPASSWORD in the environment.
    const env = { ...process.env, PGPASSWORD: '', PGPASSFILE: '/dev/null' };
    const r = spawnSync('psql', ['-w', '-h', dir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-c', 'SELECT 1'], { encoding: 'utf8', env });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/password/);
  });

  it('keeps the password only in a file its owner alone may read, and pg_hba.conf trusts nobody', () => {
    const dir = clusterDir();
    const file = path.join(dir, 'onemap-password');
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(readFileSync(file, 'utf8').trim()).toBe(decodeURIComponent(url.password));
    const methods = readFileSync(path.join(dir, 'pg_hba.conf'), 'utf8').split('\n')
      .filter((l) => l.trim() && !l.trimStart().startsWith('#'))
      .map((l) => l.trim().split(/\s+/).at(-1));
    expect(methods.length).toBeGreaterThan(0);
    expect(new Set(methods)).toEqual(new Set(['scram-sha-256']));
  });
});
