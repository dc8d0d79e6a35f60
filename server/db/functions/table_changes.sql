-- When each tracked table last changed (table_changes, for the data page): triggers on every table the
-- change feed tracks (onemap_track) and on inspections and defects, added here to those that lack them, so a
-- table tracked later gets them on the next migrate. A statement that changed no rows is not a change (the
-- liveness sweep's UPDATEs match nothing most of the time): one trigger per event, as transition tables
-- allow, and the row count read from them. The row is updated only when no other open transaction holds it
-- (SKIP LOCKED): writers never wait on one another for it, and the one holding it records a time as recent.
CREATE OR REPLACE FUNCTION onemap_mark_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'TRUNCATE' THEN
    -- Planned only here: a TRUNCATE has no transition table.
    IF NOT EXISTS (SELECT 1 FROM onemap_changed_rows) THEN RETURN NULL; END IF;
  END IF;
  UPDATE table_changes SET changed_at = clock_timestamp()
  WHERE tbl = (SELECT tbl FROM table_changes WHERE tbl = TG_TABLE_NAME FOR UPDATE SKIP LOCKED);
  RETURN NULL;
END $$;

DO $$ DECLARE t regclass; BEGIN
  -- Inspections and defects have no tile layer (no change feed) but are layers of the data page.
  FOR t IN SELECT DISTINCT tgrelid::regclass FROM pg_trigger WHERE tgname = 'onemap_ins' AND NOT tgisinternal
           UNION SELECT to_regclass(n) FROM unnest(ARRAY['inspections', 'defects']) n LOOP
    INSERT INTO table_changes (tbl) VALUES ((SELECT relname FROM pg_class WHERE oid = t)) ON CONFLICT DO NOTHING;
    -- The first version: one statement trigger for all events, which could not see whether rows changed.
    EXECUTE format('DROP TRIGGER IF EXISTS onemap_changed_at ON %s', t);
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = t AND tgname = 'onemap_changed_ins') THEN
      EXECUTE format('CREATE TRIGGER onemap_changed_ins AFTER INSERT ON %s REFERENCING NEW TABLE AS onemap_changed_rows
                      FOR EACH STATEMENT EXECUTE FUNCTION onemap_mark_changed()', t);
      EXECUTE format('CREATE TRIGGER onemap_changed_upd AFTER UPDATE ON %s REFERENCING NEW TABLE AS onemap_changed_rows
                      FOR EACH STATEMENT EXECUTE FUNCTION onemap_mark_changed()', t);
      EXECUTE format('CREATE TRIGGER onemap_changed_del AFTER DELETE ON %s REFERENCING OLD TABLE AS onemap_changed_rows
                      FOR EACH STATEMENT EXECUTE FUNCTION onemap_mark_changed()', t);
      EXECUTE format('CREATE TRIGGER onemap_changed_trunc AFTER TRUNCATE ON %s
                      FOR EACH STATEMENT EXECUTE FUNCTION onemap_mark_changed()', t);
    END IF;
  END LOOP;
END $$;
