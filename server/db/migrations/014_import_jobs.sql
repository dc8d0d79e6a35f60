-- Import jobs outlive the server process that runs them: a client polling a job after a restart (or through
-- another server behind the same balancer) learns how it ended instead of getting a 404. A job ends "done"
-- in the import's own transaction, so a job is never done without its import nor the other way round; a job
-- whose server stopped seeing it (seen_at, refreshed while it waits or runs) ends "failed".
CREATE TABLE import_jobs (
  id uuid PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
  stage text NOT NULL,
  progress real NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
  filename text NOT NULL,
  error text,
  import_id integer REFERENCES imports ON DELETE SET NULL,
  server text NOT NULL,           -- host:pid:instance of the process running it
  created_at timestamptz NOT NULL DEFAULT now(),
  seen_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz
);
CREATE INDEX import_jobs_unfinished ON import_jobs (server) WHERE ended_at IS NULL;
