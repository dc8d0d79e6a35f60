// `npm run migrate`: apply pending migrations to DATABASE_URL or the embedded database.
import pg from 'pg';
import { ensureServer } from './db.ts';
import { migrate } from '../server/db/migrate.ts';

const { url } = await ensureServer();
const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  const applied = await migrate(client);
  console.log(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date');
} finally {
  await client.end();
}
