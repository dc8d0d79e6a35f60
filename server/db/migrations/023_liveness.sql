-- Liveness: anything that reports (stations, vehicles, cameras; recorders and staff plug in the same way)
-- reads offline once silent for longer than it may be, and back when it reports. What it may be is data:
-- its own offline_after in `liveness`, else its kind's, else its thing's default (`liveness_defaults`).
-- Every status change lands in `status_history` (a trigger on the thing's table), and a change between
-- reporting and silent is a live event 'liveness'. Camera online rates per day are rolled up from the
-- history (functions/camera_status_days.sql).

CREATE TABLE liveness_defaults (
  thing text NOT NULL,
  kind text NOT NULL DEFAULT '', -- '' = any kind of the thing
  offline_after interval NOT NULL CHECK (offline_after > interval '0'),
  PRIMARY KEY (thing, kind)
);
-- Stations send every 5–15 minutes (level gauges and gas detectors the most often); vehicles' GPS every
-- 10–30 s; a GB/T 28181 platform reports camera keepalives each minute.
INSERT INTO liveness_defaults (thing, kind, offline_after) VALUES
  ('station', '', '1 hour'),
  ('station', 'manhole_level', '30 minutes'), ('station', 'ponding', '30 minutes'), ('station', 'rain', '30 minutes'),
  ('station', 'flow', '30 minutes'), ('station', 'lpg', '30 minutes'), ('station', 'fume', '30 minutes'),
  ('station', 'lake_level', '2 hours'), ('station', 'river_level', '2 hours'), ('station', 'water_quality', '2 hours'),
  ('vehicle', '', '10 minutes'),
  ('camera', '', '10 minutes');

-- The silence a thing of `kind` may keep (null: none given, it is never swept).
CREATE FUNCTION liveness_offline_after(p_thing text, p_kind text) RETURNS interval LANGUAGE sql STABLE AS $$
  SELECT offline_after FROM liveness_defaults WHERE thing = p_thing AND kind IN (coalesce(p_kind, ''), '') ORDER BY kind DESC LIMIT 1
$$;

-- Last report per thing. A thing with no row (or no last_seen_at) has never reported live: an imported
-- ledger or the seed's registry state stands until a feed speaks for it.
CREATE TABLE liveness (
  thing text NOT NULL,
  id integer NOT NULL,
  last_seen_at timestamptz,
  offline_after interval CHECK (offline_after > interval '0'),
  PRIMARY KEY (thing, id)
);

-- Down: not reporting (offline) or known broken (damaged).
CREATE FUNCTION onemap_is_down(status text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT status IN ('offline', 'damaged')
$$;

CREATE TABLE status_history (
  thing text NOT NULL,
  id integer NOT NULL,
  at timestamptz NOT NULL,
  status text NOT NULL,
  synthetic boolean NOT NULL DEFAULT false
);
CREATE INDEX ON status_history (thing, id, at);
CREATE INDEX ON status_history (thing, at);

-- Statement trigger on a thing's table (TG_ARGV[0]: the thing): history of its status, and the live event
-- when it stops or starts reporting. The time is the sweep's (onemap.status_at) or the transaction's.
CREATE FUNCTION onemap_status_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  at_ timestamptz := coalesce(nullif(current_setting('onemap.status_at', true), '')::timestamptz, now());
  n integer;
  last bigint;
BEGIN
  -- The seed writes its own history.
  IF current_setting('onemap.bulk_load', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    EXECUTE 'INSERT INTO status_history (thing, id, at, status) SELECT $1, n.id, $2, n.status FROM onemap_rows n' USING TG_ARGV[0], at_;
    RETURN NULL;
  END IF;
  EXECUTE 'INSERT INTO status_history (thing, id, at, status)
           SELECT $1, n.id, $2, n.status FROM onemap_rows n JOIN onemap_old o ON o.id = n.id WHERE n.status IS DISTINCT FROM o.status'
    USING TG_ARGV[0], at_;
  EXECUTE 'INSERT INTO live_events (kind, payload)
           SELECT ''liveness'', json_build_object(''thing'', $1, ''id'', n.id, ''status'', n.status, ''online'', NOT onemap_is_down(n.status),
                  ''at'', $2, ''lon'', ST_X(n.geom), ''lat'', ST_Y(n.geom))
           FROM onemap_rows n JOIN onemap_old o ON o.id = n.id WHERE onemap_is_down(n.status) IS DISTINCT FROM onemap_is_down(o.status)'
    USING TG_ARGV[0], at_;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n > 0 THEN
    SELECT max(id) INTO last FROM live_events;
    PERFORM pg_notify('onemap_live', last::text);
  END IF;
  RETURN NULL;
END $$;

DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT * FROM (VALUES ('sensor_stations', 'station'), ('vehicles', 'vehicle'), ('cameras', 'camera')) v(tbl, thing) LOOP
    EXECUTE format('CREATE TRIGGER onemap_status_ins AFTER INSERT ON %I REFERENCING NEW TABLE AS onemap_rows FOR EACH STATEMENT EXECUTE FUNCTION onemap_status_change(%L)', r.tbl, r.thing);
    EXECUTE format('CREATE TRIGGER onemap_status_upd AFTER UPDATE ON %I REFERENCING OLD TABLE AS onemap_old NEW TABLE AS onemap_rows FOR EACH STATEMENT EXECUTE FUNCTION onemap_status_change(%L)', r.tbl, r.thing);
  END LOOP;
END $$;

-- What is known of the cameras already here: their status since status_since.
INSERT INTO status_history (thing, id, at, status, synthetic) SELECT 'camera', id, status_since, status, synthetic FROM cameras;
