-- Operations live: facilities raise alarms, positions of people and devices are live events, and a case's
-- event names its department (so a handler's queue follows it).

-- ---- Facility faults ------------------------------------------------------------------------------
-- A pumping station's pumps may report a fault; a flood gate reports whether it works.
ALTER TABLE facility_state DROP CONSTRAINT facility_state_pump_status_check;
ALTER TABLE facility_state ADD CONSTRAINT facility_state_pump_status_check CHECK (pump_status IN ('running', 'stopped', 'fault'));
ALTER TABLE facility_state ADD COLUMN gate_status text CHECK (gate_status IN ('normal', 'fault'));
ALTER TABLE facility_state_history ADD COLUMN gate_status text;

-- The state's trigger function again, with gate_status (a new name: a function has one definition).
CREATE FUNCTION onemap_facility_state_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE last bigint; n integer;
BEGIN
  CREATE TEMP TABLE IF NOT EXISTS onemap_facility_changed (facility_id integer, before_level text) ON COMMIT DROP;
  TRUNCATE onemap_facility_changed;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO onemap_facility_changed SELECT n.facility_id, NULL FROM onemap_rows n;
  ELSE
    INSERT INTO onemap_facility_changed SELECT n.facility_id, o.level_state FROM onemap_rows n JOIN onemap_old o USING (facility_id)
      WHERE (n.open_pct, n.gate_status, n.pump_status, n.flow_m3s, n.units_running, n.water_level_m, n.warning_level_m, n.guarantee_level_m)
            IS DISTINCT FROM (o.open_pct, o.gate_status, o.pump_status, o.flow_m3s, o.units_running, o.water_level_m, o.warning_level_m, o.guarantee_level_m);
  END IF;
  INSERT INTO facility_state_history (facility_id, at, open_pct, gate_status, pump_status, flow_m3s, units_running, water_level_m, level_state)
    SELECT n.facility_id, n.changed_at, n.open_pct, n.gate_status, n.pump_status, n.flow_m3s, n.units_running, n.water_level_m, n.level_state
    FROM onemap_rows n JOIN onemap_facility_changed c USING (facility_id);
  DELETE FROM facility_state_history h USING (
    SELECT id, row_number() OVER (PARTITION BY facility_id ORDER BY at DESC, id DESC) AS rn
    FROM facility_state_history WHERE facility_id IN (SELECT facility_id FROM onemap_facility_changed)) x
  WHERE h.id = x.id AND x.rn > 300;
  IF current_setting('onemap.bulk_load', true) = 'on' THEN RETURN NULL; END IF;
  INSERT INTO live_events (kind, payload)
    SELECT 'facility', json_build_object('id', f.id, 'code', f.code, 'name', f.name, 'kind', f.kind, 'open_pct', n.open_pct, 'gate_status', n.gate_status,
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
DROP TRIGGER onemap_facility_state_ins ON facility_state;
DROP TRIGGER onemap_facility_state_upd ON facility_state;
DROP FUNCTION onemap_facility_state_change();
CREATE TRIGGER onemap_facility_state_ins AFTER INSERT ON facility_state REFERENCING NEW TABLE AS onemap_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onemap_facility_state_event();
CREATE TRIGGER onemap_facility_state_upd AFTER UPDATE ON facility_state REFERENCING OLD TABLE AS onemap_old NEW TABLE AS onemap_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onemap_facility_state_event();

-- ---- Facility alarms -------------------------------------------------------------------------------
-- An alarm is a datastream's (a sensor past its threshold) or a facility's (a level past 警戒/保证水位, a
-- pump or gate fault: its cause). Which state raises which alarm is server/domain/facility-alarms.ts.
-- A fault has no reading: its values are empty.
ALTER TABLE alarms
  ALTER COLUMN datastream_id DROP NOT NULL,
  ALTER COLUMN station_id DROP NOT NULL,
  ALTER COLUMN raised_value DROP NOT NULL,
  ALTER COLUMN peak_value DROP NOT NULL,
  ADD COLUMN facility_id integer REFERENCES facilities ON DELETE CASCADE,
  ADD COLUMN cause text CHECK (cause IN ('level', 'pump_fault', 'gate_fault')),
  ADD CONSTRAINT alarms_source CHECK (
    (datastream_id IS NOT NULL AND station_id IS NOT NULL AND facility_id IS NULL AND cause IS NULL AND raised_value IS NOT NULL)
    OR (datastream_id IS NULL AND station_id IS NULL AND facility_id IS NOT NULL AND cause IS NOT NULL));
CREATE UNIQUE INDEX alarms_facility_active_key ON alarms (facility_id, cause) WHERE cleared_at IS NULL AND facility_id IS NOT NULL;
CREATE INDEX ON alarms (facility_id);

-- Where a point lies (station_place's answer for any point): its grid, else community, street, district.
CREATE FUNCTION point_place(p geometry,
  OUT grid_code text, OUT community_code text, OUT street_code text, OUT district_code text)
LANGUAGE sql STABLE AS $$
  SELECT g.code, coalesce(g.community_code, c.code), coalesce(gc.street_code, c.street_code, st.code), coalesce(gs.district_code, cs.district_code, st.district_code, d.code)
  FROM (SELECT p AS geom) s
  LEFT JOIN LATERAL (SELECT code::text, community_code::text FROM grids WHERE ST_Intersects(geom, s.geom) ORDER BY code LIMIT 1) g ON true
  LEFT JOIN communities gc ON gc.code = g.community_code
  LEFT JOIN streets gs ON gs.code = gc.street_code
  LEFT JOIN LATERAL (SELECT code::text, street_code::text FROM communities WHERE g.code IS NULL AND ST_Intersects(geom, s.geom) ORDER BY code LIMIT 1) c ON true
  LEFT JOIN streets cs ON cs.code = c.street_code
  LEFT JOIN LATERAL (SELECT code::text, district_code::text FROM streets WHERE g.code IS NULL AND c.code IS NULL AND ST_Intersects(geom, s.geom) ORDER BY code LIMIT 1) st ON true
  LEFT JOIN LATERAL (SELECT code::text FROM districts WHERE ST_Intersects(geom, s.geom) ORDER BY code LIMIT 1) d ON true
$$;

-- An alarm's place: its station's, or its facility's (a lake or channel at its point on the surface).
CREATE FUNCTION alarm_place_of_source() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.facility_id IS NOT NULL THEN
    SELECT p.grid_code, p.community_code, p.street_code, p.district_code INTO NEW.grid_code, NEW.community_code, NEW.street_code, NEW.district_code
    FROM facilities f, point_place(ST_PointOnSurface(f.geom)) p WHERE f.id = NEW.facility_id;
  ELSE
    SELECT p.grid_code, p.community_code, p.street_code, p.district_code INTO NEW.grid_code, NEW.community_code, NEW.street_code, NEW.district_code
    FROM station_place(NEW.station_id) p;
  END IF;
  NEW.unit_level := CASE WHEN NEW.community_code IS NOT NULL THEN 'community' WHEN NEW.street_code IS NOT NULL THEN 'street' ELSE 'district' END;
  NEW.unit_code := coalesce(NEW.community_code, NEW.street_code, NEW.district_code);
  RETURN NEW;
END $$;
DROP TRIGGER alarm_place ON alarms;
DROP FUNCTION alarm_place_fill();
CREATE TRIGGER alarm_place BEFORE INSERT ON alarms FOR EACH ROW EXECUTE FUNCTION alarm_place_of_source();

-- The alarm event names its source: a station, or a facility with its cause.
CREATE FUNCTION onemap_alarm_source_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE last bigint;
BEGIN
  IF current_setting('onemap.bulk_load', true) = 'on' THEN RETURN NULL; END IF;
  INSERT INTO live_events (kind, payload)
    SELECT 'alarm', json_build_object('id', n.id, 'station_id', n.station_id, 'datastream_id', n.datastream_id,
           'facility_id', n.facility_id, 'cause', n.cause, 'level', n.level,
           'state', CASE WHEN n.cleared_at IS NULL THEN 'active' ELSE 'cleared' END, 'raised_at', n.raised_at, 'cleared_at', n.cleared_at,
           'value', coalesce(n.cleared_value, n.raised_value), 'peak', n.peak_value, 'case_id', n.case_id,
           'lon', coalesce(ST_X(s.geom), ST_X(ST_PointOnSurface(f.geom))), 'lat', coalesce(ST_Y(s.geom), ST_Y(ST_PointOnSurface(f.geom))),
           'station', coalesce(s.name, f.name), 'kind', coalesce(s.kind, f.kind),
           'handling', n.handling, 'unit_level', n.unit_level, 'unit_code', n.unit_code, 'unit_since', n.unit_since,
           'supervised', n.supervised, 'grid_code', n.grid_code)
    FROM onemap_rows n LEFT JOIN sensor_stations s ON s.id = n.station_id LEFT JOIN facilities f ON f.id = n.facility_id ORDER BY n.id;
  SELECT max(id) INTO last FROM live_events;
  PERFORM pg_notify('onemap_live', coalesce(last, 0)::text);
  RETURN NULL;
END $$;
DROP TRIGGER onemap_live_ins ON alarms;
DROP TRIGGER onemap_live_upd ON alarms;
DROP FUNCTION onemap_alarm_event();
CREATE TRIGGER onemap_live_ins AFTER INSERT ON alarms REFERENCING NEW TABLE AS onemap_rows FOR EACH STATEMENT EXECUTE FUNCTION onemap_alarm_source_event();
CREATE TRIGGER onemap_live_upd AFTER UPDATE ON alarms REFERENCING NEW TABLE AS onemap_rows FOR EACH STATEMENT EXECUTE FUNCTION onemap_alarm_source_event();

-- ---- A case's department in its event ----------------------------------------------------------------
-- A handler's page hears the cases of its department, and the one just sent elsewhere (department_before)
-- so that it leaves the queue. The other kinds keep migration 010's function.
CREATE FUNCTION onemap_case_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE last bigint;
BEGIN
  IF current_setting('onemap.bulk_load', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO live_events (kind, payload)
      SELECT 'case', json_build_object('id', n.id, 'case_no', n.case_no, 'status', n.status, 'item_code', n.item_code, 'source', n.source,
             'grid_code', n.grid_code, 'deadline_at', n.deadline_at, 'lon', ST_X(n.geom), 'lat', ST_Y(n.geom),
             'department_code', n.department_code, 'department_before', NULL)
      FROM onemap_rows n;
  ELSE
    INSERT INTO live_events (kind, payload)
      SELECT 'case', json_build_object('id', n.id, 'case_no', n.case_no, 'status', n.status, 'item_code', n.item_code, 'source', n.source,
             'grid_code', n.grid_code, 'deadline_at', n.deadline_at, 'lon', ST_X(n.geom), 'lat', ST_Y(n.geom),
             'department_code', n.department_code,
             'department_before', CASE WHEN o.department_code IS DISTINCT FROM n.department_code THEN o.department_code END)
      FROM onemap_rows n JOIN onemap_old o ON o.id = n.id;
  END IF;
  SELECT max(id) INTO last FROM live_events;
  PERFORM pg_notify('onemap_live', coalesce(last, 0)::text);
  RETURN NULL;
END $$;
DROP TRIGGER onemap_live_ins ON cases;
DROP TRIGGER onemap_live_upd ON cases;
CREATE TRIGGER onemap_live_ins AFTER INSERT ON cases REFERENCING NEW TABLE AS onemap_rows FOR EACH STATEMENT EXECUTE FUNCTION onemap_case_event();
CREATE TRIGGER onemap_live_upd AFTER UPDATE ON cases REFERENCING OLD TABLE AS onemap_old NEW TABLE AS onemap_rows FOR EACH STATEMENT EXECUTE FUNCTION onemap_case_event();

-- ---- Positions of people and devices as live events ---------------------------------------------------
-- Each stored track point is an event: 'staff_position' or 'device_position'. Where people are is personal
-- data: the server sends staff positions only to those who see people, device positions only to accounts
-- (server/routes/live.ts), never to the public stream.
CREATE FUNCTION onemap_track_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE last bigint;
BEGIN
  IF current_setting('onemap.bulk_load', true) = 'on' THEN RETURN NULL; END IF;
  INSERT INTO live_events (kind, payload)
    SELECT n.thing || '_position', json_build_object('id', n.id, 't', n.t, 'lon', ST_X(n.geom), 'lat', ST_Y(n.geom))
    FROM onemap_rows n ORDER BY n.t;
  SELECT max(id) INTO last FROM live_events;
  PERFORM pg_notify('onemap_live', coalesce(last, 0)::text);
  RETURN NULL;
END $$;
CREATE TRIGGER onemap_live_ins AFTER INSERT ON track_points REFERENCING NEW TABLE AS onemap_rows FOR EACH STATEMENT EXECUTE FUNCTION onemap_track_event();
