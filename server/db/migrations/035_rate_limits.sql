-- Rate limits shared by every instance of the server (server/limits/shared-rate-store.ts): one row per
-- client and limited route, counted by one upsert per request. UNLOGGED: counters are worth no WAL (a
-- crash empties the table, which only forgives a minute's requests), and the upserts stay as cheap as
-- PostgreSQL writes get. No index on expires_at: every hit updates it, and an index would make each of
-- those updates a non-HOT one; the sweep of expired rows reads the small table whole.
CREATE UNLOGGED TABLE rate_limits (
  key text PRIMARY KEY,
  hits integer NOT NULL,
  expires_at timestamptz NOT NULL
);
