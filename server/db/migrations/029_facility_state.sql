-- Operating state of the facilities: a flood gate's opening, a pumping station's pumps and flow, the water
-- level of a lake, channel or waterlogging point against its warning (警戒水位) and guarantee (保证水位)
-- levels. One row per facility that reports (a feed through POST /api/ingest/facilities, or the seed);
-- every change is kept in a bounded history and sent as a live event 'facility'. Which level band a
-- reading is in is stated here once (level_state); the code lists are FACILITY_PUMP_STATUSES and
-- FACILITY_LEVEL_STATES in common/enums.ts.
CREATE TABLE facility_state (
  facility_id integer PRIMARY KEY REFERENCES facilities ON DELETE CASCADE,
  open_pct double precision CHECK (open_pct BETWEEN 0 AND 100),
  pump_status text CHECK (pump_status IN ('running', 'stopped')),
  flow_m3s double precision CHECK (flow_m3s >= 0),
  units_running smallint CHECK (units_running >= 0),
  water_level_m double precision,
  warning_level_m double precision,
  guarantee_level_m double precision CHECK (guarantee_level_m >= warning_level_m),
  level_state text GENERATED ALWAYS AS (
    CASE WHEN water_level_m IS NULL OR warning_level_m IS NULL THEN NULL
         WHEN water_level_m >= guarantee_level_m THEN 'guarantee'
         WHEN water_level_m >= warning_level_m THEN 'warning'
         ELSE 'normal' END) STORED CHECK (level_state IN ('normal', 'warning', 'guarantee')),
  changed_at timestamptz NOT NULL DEFAULT now(),
  synthetic boolean NOT NULL DEFAULT false,
  -- The facility's place, copied on insert: the change feed drops only the tiles over a changed state.
  geom geometry(Geometry, 4326)
);
CREATE FUNCTION onemap_facility_state_place() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT geom INTO NEW.geom FROM facilities WHERE id = NEW.facility_id;
  RETURN NEW;
END $$;
CREATE TRIGGER facility_state_place BEFORE INSERT ON facility_state FOR EACH ROW EXECUTE FUNCTION onemap_facility_state_place();

-- The last HISTORY_ROWS states of each facility (the trigger trims the rest): enough for a chart of the
-- last day at five-minute reports, never a growing table.
CREATE TABLE facility_state_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  facility_id integer NOT NULL REFERENCES facilities ON DELETE CASCADE,
  at timestamptz NOT NULL,
  open_pct double precision,
  pump_status text,
  flow_m3s double precision,
  units_running smallint,
  water_level_m double precision,
  level_state text
);
CREATE INDEX ON facility_state_history (facility_id, at DESC);
CREATE INDEX ON facility_state USING gist (geom);

CREATE FUNCTION onemap_facility_state_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE last bigint; n integer;
BEGIN
  CREATE TEMP TABLE IF NOT EXISTS onemap_facility_changed (facility_id integer, before_level text) ON COMMIT DROP;
  TRUNCATE onemap_facility_changed;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO onemap_facility_changed SELECT n.facility_id, NULL FROM onemap_rows n;
  ELSE
    INSERT INTO onemap_facility_changed SELECT n.facility_id, o.level_state FROM onemap_rows n JOIN onemap_old o USING (facility_id)
      WHERE (n.open_pct, n.pump_status, n.flow_m3s, n.units_running, n.water_level_m, n.warning_level_m, n.guarantee_level_m)
            IS DISTINCT FROM (o.open_pct, o.pump_status, o.flow_m3s, o.units_running, o.water_level_m, o.warning_level_m, o.guarantee_level_m);
  END IF;
  INSERT INTO facility_state_history (facility_id, at, open_pct, pump_status, flow_m3s, units_running, water_level_m, level_state)
    SELECT n.facility_id, n.changed_at, n.open_pct, n.pump_status, n.flow_m3s, n.units_running, n.water_level_m, n.level_state
    FROM onemap_rows n JOIN onemap_facility_changed c USING (facility_id);
  DELETE FROM facility_state_history h USING (
    SELECT id, row_number() OVER (PARTITION BY facility_id ORDER BY at DESC, id DESC) AS rn
    FROM facility_state_history WHERE facility_id IN (SELECT facility_id FROM onemap_facility_changed)) x
  WHERE h.id = x.id AND x.rn > 300;
  -- The seed's states are not news.
  IF current_setting('onemap.bulk_load', true) = 'on' THEN RETURN NULL; END IF;
  INSERT INTO live_events (kind, payload)
    SELECT 'facility', json_build_object('id', f.id, 'code', f.code, 'name', f.name, 'kind', f.kind, 'open_pct', n.open_pct,
           'pump_status', n.pump_status, 'flow_m3s', n.flow_m3s, 'units_running', n.units_running, 'water_level_m', n.water_level_m,
           'warning_level_m', n.warning_level_m, 'guarantee_level_m', n.guarantee_level_m, 'level_state', n.level_state,
           'level_before', c.before_level, 'at', n.changed_at,
           'lon', ST_X(ST_PointOnSurface(f.geom)), 'lat', ST_Y(ST_PointOnSurface(f.geom)))
    FROM onemap_rows n JOIN onemap_facility_changed c USING (facility_id) JOIN facilities f ON f.id = n.facility_id;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n > 0 THEN
    SELECT max(id) INTO last FROM live_events;
    PERFORM pg_notify('onemap_live', last::text);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER onemap_facility_state_ins AFTER INSERT ON facility_state REFERENCING NEW TABLE AS onemap_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onemap_facility_state_change();
CREATE TRIGGER onemap_facility_state_upd AFTER UPDATE ON facility_state REFERENCING OLD TABLE AS onemap_old NEW TABLE AS onemap_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onemap_facility_state_change();

SELECT onemap_track('facility_state');
