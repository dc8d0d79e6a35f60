-- History partitioned by day (the district's day, Asia/Shanghai): sensor readings, vehicle positions, staff
-- and device tracks, live events. At 1,000 readings a second a day is 86 M rows; dropping a whole day is
-- instant where deleting its rows is not. Each table has a DEFAULT partition, so a row of a day that has no
-- partition yet is never refused: the housekeeping (functions/history.sql) moves such rows into a partition
-- of their own day and creates the days ahead. How long each keeps its raw rows is history_tables.keep_days.
CREATE TABLE history_tables (
  tbl text PRIMARY KEY,
  time_col text NOT NULL,
  keep_days integer NOT NULL CHECK (keep_days > 0)
);
INSERT INTO history_tables (tbl, time_col, keep_days) VALUES
  ('observations', 't', 90), ('vehicle_positions', 't', 30), ('track_points', 't', 8), ('live_events', 'at', 2);

-- Readings of every stream by hour and by day, kept for years after the raw rows are gone (the charts'
-- long periods read these). Kept by a trigger on observations (functions/history.sql).
CREATE TABLE observation_rollups (
  datastream_id integer NOT NULL REFERENCES datastreams ON DELETE CASCADE,
  res text NOT NULL CHECK (res IN ('hour', 'day')),
  bucket timestamptz NOT NULL,
  n integer NOT NULL,
  sum double precision NOT NULL,
  min double precision NOT NULL,
  max double precision NOT NULL,
  PRIMARY KEY (datastream_id, res, bucket)
);
INSERT INTO observation_rollups (datastream_id, res, bucket, n, sum, min, max)
SELECT o.datastream_id, b.res, b.bucket, count(*), sum(o.value), min(o.value), max(o.value)
FROM observations o,
     LATERAL (VALUES ('hour', date_trunc('hour', o.t)), ('day', date_trunc('day', o.t, 'Asia/Shanghai'))) b(res, bucket)
GROUP BY 1, 2, 3;

-- observations
ALTER TABLE observations RENAME TO observations_unpartitioned;
ALTER TABLE observations_unpartitioned RENAME CONSTRAINT observations_pkey TO observations_unpartitioned_pkey;
ALTER INDEX observations_t_idx RENAME TO observations_unpartitioned_t_idx;
CREATE TABLE observations (
  datastream_id integer NOT NULL REFERENCES datastreams ON DELETE CASCADE,
  t timestamptz NOT NULL,
  value double precision NOT NULL,
  PRIMARY KEY (datastream_id, t)
) PARTITION BY RANGE (t);
CREATE INDEX observations_t_idx ON observations (t);
CREATE TABLE observations_default PARTITION OF observations DEFAULT;
INSERT INTO observations SELECT datastream_id, t, value FROM observations_unpartitioned;
DROP TABLE observations_unpartitioned;
CREATE TRIGGER onemap_live_ins AFTER INSERT ON observations REFERENCING NEW TABLE AS onemap_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onemap_live_event();

-- vehicle_positions
ALTER TABLE vehicle_positions RENAME TO vehicle_positions_unpartitioned;
ALTER TABLE vehicle_positions_unpartitioned RENAME CONSTRAINT vehicle_positions_pkey TO vehicle_positions_unpartitioned_pkey;
CREATE TABLE vehicle_positions (
  vehicle_id integer NOT NULL REFERENCES vehicles ON DELETE CASCADE,
  t timestamptz NOT NULL,
  speed_kmh real,
  geom geometry(Point, 4326) NOT NULL,
  PRIMARY KEY (vehicle_id, t)
) PARTITION BY RANGE (t);
CREATE TABLE vehicle_positions_default PARTITION OF vehicle_positions DEFAULT;
INSERT INTO vehicle_positions SELECT vehicle_id, t, speed_kmh, geom FROM vehicle_positions_unpartitioned;
DROP TABLE vehicle_positions_unpartitioned;
CREATE TRIGGER onemap_live_ins AFTER INSERT ON vehicle_positions REFERENCING NEW TABLE AS onemap_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onemap_live_event();

-- track_points
ALTER TABLE track_points RENAME TO track_points_unpartitioned;
ALTER TABLE track_points_unpartitioned RENAME CONSTRAINT track_points_pkey TO track_points_unpartitioned_pkey;
ALTER INDEX track_points_t_idx RENAME TO track_points_unpartitioned_t_idx;
ALTER INDEX track_points_geom_idx RENAME TO track_points_unpartitioned_geom_idx;
CREATE TABLE track_points (
  thing text NOT NULL CHECK (thing IN ('staff', 'device')),
  id integer NOT NULL,
  t timestamptz NOT NULL,
  geom geometry(Point, 4326) NOT NULL,
  PRIMARY KEY (thing, id, t)
) PARTITION BY RANGE (t);
CREATE INDEX track_points_t_idx ON track_points (t);
CREATE INDEX track_points_geom_idx ON track_points USING gist (geom);
CREATE TABLE track_points_default PARTITION OF track_points DEFAULT;
INSERT INTO track_points SELECT thing, id, t, geom FROM track_points_unpartitioned;
DROP TABLE track_points_unpartitioned;

-- live_events: PostgreSQL 15 has no identity column on a partitioned table, so the ids come from a sequence
-- that goes on from the last; the key holds the partition column as PostgreSQL requires.
CREATE SEQUENCE live_events_seq;
SELECT setval('live_events_seq', coalesce((SELECT max(id) FROM live_events), 0) + 1, false);
ALTER TABLE live_events RENAME TO live_events_unpartitioned;
ALTER TABLE live_events_unpartitioned RENAME CONSTRAINT live_events_pkey TO live_events_unpartitioned_pkey;
ALTER INDEX live_events_at_idx RENAME TO live_events_unpartitioned_at_idx;
CREATE TABLE live_events (
  id bigint NOT NULL DEFAULT nextval('live_events_seq'),
  at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL,
  payload jsonb NOT NULL,
  PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
ALTER SEQUENCE live_events_seq OWNED BY live_events.id;
CREATE INDEX live_events_at_idx ON live_events (at);
CREATE TABLE live_events_default PARTITION OF live_events DEFAULT;
INSERT INTO live_events (id, at, kind, payload) SELECT id, at, kind, payload FROM live_events_unpartitioned;
DROP TABLE live_events_unpartitioned;
