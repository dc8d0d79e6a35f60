// The real server on a free port over a test database of its own.
import { buildApp, type App } from '../../server/app.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface RunningApp {
  baseUrl: string;
  db: TestDatabase;
  server: App;
  stop(): Promise<void>;
}

export async function startApp(): Promise<RunningApp> {
  const db = await createTestDatabase();
  const server = await buildApp({ databaseUrl: db.url });
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
