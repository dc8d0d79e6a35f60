// A database of the test file's own, copied from the seeded template and dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { adminUrl } from '../../scripts/db.ts';
import { migrate } from '../../server/db/migrate.ts';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** The database `name` on the cluster at `base`, and how to drop it. */
function testDatabase(base: string, name: string): TestDatabase {
  return {
    url: adminUrl(base, name),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl(base) });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const base = inject('databaseUrl');
  const template = inject('template');
  const name = `wuchang_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl(base) });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}" STRATEGY FILE_COPY`);
  } finally {
    await admin.end();
  }
  return testDatabase(base, name);
}

/** A test database for the whole file and a client connected to it, made in beforeAll, dropped in afterAll. */
export function useTestDatabase(): { readonly db: TestDatabase; readonly client: pg.Client } {
  const state = {} as { db: TestDatabase; client: pg.Client };
  beforeAll(async () => {
    state.db = await createTestDatabase();
    state.client = new pg.Client({ connectionString: state.db.url });
    await state.client.connect();
  });
  afterAll(async () => {
    await state.client?.end();
    await state.db?.drop();
  });
  return state;
}

/** A database with the migrations only (no seed): a district started clean. Dropped by drop(). */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const base = inject('databaseUrl');
  const name = `wuchang_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl(base) });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const db = new pg.Client({ connectionString: adminUrl(base, name) });
  await db.connect();
  try {
    await migrate(db);
  } finally {
    await db.end();
  }
  return testDatabase(base, name);
}
