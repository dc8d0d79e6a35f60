-- Housekeeping of the day-partitioned history (migration 032_history_partitions: history_tables says which
-- tables, their time column and how many days of raw rows each keeps). Days are the district's
-- (Asia/Shanghai); a day's partition is <table>_YYYYMMDD.

CREATE OR REPLACE FUNCTION history_day_start(d date) RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT d::timestamp AT TIME ZONE 'Asia/Shanghai'
$$;

-- The day's partition of `tbl`, created unless it exists; rows of that day waiting in the default partition
-- are moved into it (inserted into the partition itself, so the parent's statement triggers, live events and
-- roll-ups, do not see them twice). True when it was created.
CREATE OR REPLACE FUNCTION history_add_day(tbl text, d date) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  col text := (SELECT h.time_col FROM history_tables h WHERE h.tbl = history_add_day.tbl);
  part text := tbl || '_' || to_char(d, 'YYYYMMDD');
BEGIN
  IF to_regclass(part) IS NOT NULL THEN RETURN false; END IF;
  EXECUTE format('CREATE TEMP TABLE onemap_history_moving ON COMMIT DROP AS
                  WITH m AS (DELETE FROM %I WHERE %I >= $1 AND %I < $2 RETURNING *) SELECT * FROM m',
                 tbl || '_default', col, col) USING history_day_start(d), history_day_start(d + 1);
  EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', part, tbl, history_day_start(d), history_day_start(d + 1));
  EXECUTE format('INSERT INTO %I SELECT * FROM onemap_history_moving', part);
  DROP TABLE onemap_history_moving;
  RETURN true;
END $$;

-- A partition for every day that has rows waiting in a default partition and for today and the `ahead` days
-- after it (so the default stays empty); returns how many were created.
CREATE OR REPLACE FUNCTION history_ensure(at timestamptz DEFAULT now(), ahead integer DEFAULT 7) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  h record;
  d date;
  today date := (at AT TIME ZONE 'Asia/Shanghai')::date;
  made integer := 0;
BEGIN
  FOR h IN SELECT tbl, time_col FROM history_tables ORDER BY tbl LOOP
    FOR d IN EXECUTE format('SELECT DISTINCT (%I AT TIME ZONE ''Asia/Shanghai'')::date FROM %I
                             UNION SELECT generate_series($1, $1 + $2, interval ''1 day'')::date ORDER BY 1',
                            h.time_col, h.tbl || '_default') USING today, ahead LOOP
      made := made + history_add_day(h.tbl, d)::int;
    END LOOP;
  END LOOP;
  RETURN made;
END $$;

-- Whole days past each table's keep_days are dropped (instant, whatever their size); rows that old in a
-- default partition are deleted. Returns the partitions dropped.
CREATE OR REPLACE FUNCTION history_drop_expired(at timestamptz DEFAULT now()) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  h record;
  p record;
  dropped integer := 0;
  first_kept date;
BEGIN
  FOR h IN SELECT tbl, time_col, keep_days FROM history_tables ORDER BY tbl LOOP
    first_kept := (at AT TIME ZONE 'Asia/Shanghai')::date - h.keep_days;
    FOR p IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = h.tbl::regclass AND c.relname ~ ('^' || h.tbl || '_[0-9]{8}$')
               AND to_date(right(c.relname, 8), 'YYYYMMDD') < first_kept ORDER BY 1 LOOP
      EXECUTE format('DROP TABLE %I', p.relname);
      dropped := dropped + 1;
    END LOOP;
    EXECUTE format('DELETE FROM %I WHERE %I < $1', h.tbl || '_default', h.time_col) USING history_day_start(first_kept);
  END LOOP;
  RETURN dropped;
END $$;

-- Readings rolled up by hour and by the district's day as they arrive (observation_rollups), so charts over
-- months and years read a few hundred rows per stream whatever the raw rows kept. Buckets are locked in one
-- order, so two ingests of the same streams cannot deadlock on them.
CREATE OR REPLACE FUNCTION onemap_observation_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO observation_rollups AS r (datastream_id, res, bucket, n, sum, min, max)
  SELECT o.datastream_id, b.res, b.bucket, count(*), sum(o.value), min(o.value), max(o.value)
  FROM onemap_rollup_rows o,
       LATERAL (VALUES ('hour', date_trunc('hour', o.t)), ('day', date_trunc('day', o.t, 'Asia/Shanghai'))) b(res, bucket)
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (datastream_id, res, bucket) DO UPDATE
    SET n = r.n + excluded.n, sum = r.sum + excluded.sum, min = least(r.min, excluded.min), max = greatest(r.max, excluded.max);
  RETURN NULL;
END $$;

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'observations'::regclass AND tgname = 'onemap_rollup_ins') THEN
    CREATE TRIGGER onemap_rollup_ins AFTER INSERT ON observations REFERENCING NEW TABLE AS onemap_rollup_rows
      FOR EACH STATEMENT EXECUTE FUNCTION onemap_observation_rollup();
  END IF;
END $$;
