-- The data page (server/data/layers.ts): when each table last changed, and which rows a layer import put in.
-- table_changes holds one row per tracked table, kept by a statement trigger (functions/table_changes.sql)
-- next to the change feed's; a null time: no change seen since this migration.
CREATE TABLE table_changes (
  tbl text PRIMARY KEY,
  changed_at timestamptz
);

-- The rows a layer import wrote, by the key the layer stores them under (a grid code, a camera's GB/T 28181
-- code, a station code): inserted, or updated in place. Removing the import removes the rows it inserted,
-- and is refused while a later import of the layer wrote any of them.
CREATE TABLE import_keys (
  import_id integer NOT NULL REFERENCES imports ON DELETE CASCADE,
  key text NOT NULL,
  inserted boolean NOT NULL,
  PRIMARY KEY (import_id, key)
);
CREATE INDEX ON import_keys (key);

-- The data page and /api/health ask whether any synthetic case is left: without this, a district whose cases
-- are all its own would be read through whole to say no.
CREATE INDEX cases_synthetic ON cases (id) WHERE synthetic;
