-- Extensions and the change feed every tile cache and live client relies on.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pgrouting;

-- Every data table announces what changed, with the bounding box of the rows touched, so a tile
-- cache can evict exactly the tiles that show them (Martin's cache cannot be purged at all).
-- One statement-level trigger per event: PostgreSQL allows transition tables on one event only.
CREATE OR REPLACE FUNCTION onemap_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  geom_col text := coalesce(TG_ARGV[0], 'geom');
  box box2d;
  box_old box2d;
  n bigint := 0;
  n_old bigint := 0;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    box := NULL;
  ELSE
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      EXECUTE format('SELECT ST_Extent(%I)::box2d, count(*) FROM onemap_new_rows', geom_col) INTO box, n;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
      EXECUTE format('SELECT ST_Extent(%I)::box2d, count(*) FROM onemap_old_rows', geom_col) INTO box_old, n_old;
      box := CASE WHEN box IS NULL THEN box_old WHEN box_old IS NULL THEN box
                  ELSE ST_Collect(box::geometry, box_old::geometry)::box2d END;
    END IF;
    IF n + n_old = 0 THEN RETURN NULL; END IF;
  END IF;
  PERFORM pg_notify('onemap_changes', json_build_object(
    'table', TG_TABLE_NAME, 'op', lower(TG_OP), 'rows', greatest(n, n_old),
    'bbox', CASE WHEN box IS NULL THEN NULL
                 ELSE json_build_array(ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box)) END)::text);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION onemap_track(tbl regclass, geom_col text DEFAULT 'geom') RETURNS void LANGUAGE plpgsql AS $$
DECLARE t text := tbl::text;
BEGIN
  EXECUTE format('CREATE TRIGGER onemap_ins AFTER INSERT ON %s REFERENCING NEW TABLE AS onemap_new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION onemap_notify_change(%L)', t, geom_col);
  EXECUTE format('CREATE TRIGGER onemap_upd AFTER UPDATE ON %s REFERENCING OLD TABLE AS onemap_old_rows NEW TABLE AS onemap_new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION onemap_notify_change(%L)', t, geom_col);
  EXECUTE format('CREATE TRIGGER onemap_del AFTER DELETE ON %s REFERENCING OLD TABLE AS onemap_old_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION onemap_notify_change(%L)', t, geom_col);
  EXECUTE format('CREATE TRIGGER onemap_trunc AFTER TRUNCATE ON %s
                  FOR EACH STATEMENT EXECUTE FUNCTION onemap_notify_change(%L)', t, geom_col);
END $$;

-- Which data came from the synthetic generator, and when (the UI labels synthetic data).
CREATE TABLE dataset_info (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
