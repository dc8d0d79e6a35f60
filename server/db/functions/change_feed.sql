-- The change feed's notification (channel onemap_changes): the table, the operation, the rows touched and
-- their bounding box, so a tile cache evicts only the tiles that show them, and the id of the writing
-- transaction. Every listener hears the same payload in commit order, so "the last transaction heard to
-- change this layer" is a data version all server instances agree on without any shared counter to lock
-- (server/tiles/service.ts). Identical payloads of one transaction are still folded into one by NOTIFY.
CREATE OR REPLACE FUNCTION onemap_change_notice() RETURNS trigger LANGUAGE plpgsql AS $$
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
                 ELSE json_build_array(ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box)) END,
    'xid', pg_current_xact_id()::text)::text);
  RETURN NULL;
END $$;

-- The numbered migrations track tables with onemap_track (migration 001), whose triggers call the first
-- version, onemap_notify_change (it must exist before this file runs on an empty database). Those triggers
-- are pointed here, once per trigger: a run that finds none left does nothing and takes no lock.
DO $$ DECLARE t record; BEGIN
  FOR t IN SELECT tgrelid::regclass AS tbl, tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger
           WHERE tgfoid = 'onemap_notify_change'::regproc AND NOT tgisinternal AND tgparentid = 0 LOOP
    EXECUTE format('DROP TRIGGER %I ON %s', t.tgname, t.tbl);
    EXECUTE replace(t.def, 'onemap_notify_change(', 'onemap_change_notice(');
  END LOOP;
END $$;
