-- When each tracked table last changed (table_changes, for the data page): a statement trigger on every
-- table the change feed tracks (onemap_track) and on inspections and defects, added here to those that lack it, so a table tracked later
-- gets it on the next migrate. The row is updated only when no other open transaction holds it (SKIP
-- LOCKED): writers never wait on one another for it, and the one holding it records a time as recent.
CREATE OR REPLACE FUNCTION onemap_mark_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE table_changes SET changed_at = clock_timestamp()
  WHERE tbl = (SELECT tbl FROM table_changes WHERE tbl = TG_TABLE_NAME FOR UPDATE SKIP LOCKED);
  RETURN NULL;
END $$;

DO $$ DECLARE t regclass; BEGIN
  -- Inspections and defects have no tile layer (no change feed) but are layers of the data page.
  FOR t IN SELECT DISTINCT tgrelid::regclass FROM pg_trigger WHERE tgname = 'onemap_ins' AND NOT tgisinternal
           UNION SELECT to_regclass(n) FROM unnest(ARRAY['inspections', 'defects']) n LOOP
    INSERT INTO table_changes (tbl) VALUES ((SELECT relname FROM pg_class WHERE oid = t)) ON CONFLICT DO NOTHING;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = t AND tgname = 'onemap_changed_at') THEN
      EXECUTE format('CREATE TRIGGER onemap_changed_at AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s
                      FOR EACH STATEMENT EXECUTE FUNCTION onemap_mark_changed()', t);
    END IF;
  END LOOP;
END $$;
