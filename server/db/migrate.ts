// Numbered SQL migrations, each applied once in its own transaction and recorded in schema_migrations.
// A migration that fails rolls back whole, so the database stays as it was.
// Then, on every run, the files of functions/ in name order, in one transaction: functions and triggers
// with CREATE OR REPLACE, so each has one definition, the current one, whatever the database's history.
// A numbered migration cannot use them (on an empty database they come after it), and a function that an
// index or a generated column is built on stays in a numbered migration: those do not follow a redefinition.
import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type pg from 'pg';
import { REPO_ROOT } from '../root.ts';

// The SQL files stay in the sources, whether this runs from them or from the built server.
const HERE = path.join(REPO_ROOT, 'server', 'db');
const DIR = path.join(HERE, 'migrations');
const FUNCTIONS_DIR = path.join(HERE, 'functions');
const LOCK_KEY = 4201060001; // any constant: serialises concurrent migrators (two servers starting at once)

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(dir = DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .map((f) => {
      const sql = readFileSync(path.join(dir, f), 'utf8');
      return {
        version: Number(f.split('_')[0]),
        name: f,
        sql,
        checksum: createHash('sha1').update(sql).digest('hex'),
      };
    })
    .sort((a, b) => a.version - b.version);
}

export interface SqlFile {
  name: string;
  sql: string;
}

/** The re-applied definitions (functions/), in the order they are applied. */
export function listFunctions(dir = FUNCTIONS_DIR): SqlFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({ name: f, sql: readFileSync(path.join(dir, f), 'utf8') }));
}

/** Applies pending migrations, then the functions; returns the names of the migrations applied. */
export async function migrate(client: pg.ClientBase, migrations = listMigrations(), functions = listFunctions()): Promise<string[]> {
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
  const applied: string[] = [];
  try {
    const { rows } = await client.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations');
    const done = new Map(rows.map((r) => [r.version, r.name]));
    for (const m of migrations) {
      if (done.has(m.version)) {
        if (done.get(m.version) !== m.name) {
          throw new Error(`migration ${m.version} is recorded as ${done.get(m.version)} but the file is ${m.name}`);
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          m.checksum,
        ]);
        await client.query('COMMIT');
        applied.push(m.name);
      } catch (e) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${m.name} failed and was rolled back: ${(e as Error).message}`);
      }
    }
    await applyFunctions(client, functions);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
  }
  return applied;
}

async function applyFunctions(client: pg.ClientBase, functions: SqlFile[]): Promise<void> {
  await client.query('BEGIN');
  for (const f of functions) {
    try {
      await client.query(f.sql);
    } catch (e) {
      await client.query('ROLLBACK');
      throw new Error(`functions/${f.name} failed and was rolled back: ${(e as Error).message}`);
    }
  }
  await client.query('COMMIT');
}
