-- Alarms are handled: acknowledged, assigned, escalated community → street → district, closed, each by a
-- person with a note (server/domain/alarm-handling.ts states the rules); alarms nobody acknowledged in time
-- go up by themselves and are supervised (督办). And every sensor kind opens a case of its catalogue item.

ALTER TABLE alarms
  ADD COLUMN handling text NOT NULL DEFAULT 'new' CHECK (handling IN ('new', 'acknowledged', 'assigned', 'closed')),
  -- Where the station lies (its grid, community, street, district), filled in on insert.
  ADD COLUMN grid_code text,
  ADD COLUMN community_code text,
  ADD COLUMN street_code text,
  ADD COLUMN district_code text,
  -- The unit handling it now, and since when (its acknowledge clock).
  ADD COLUMN unit_level text NOT NULL DEFAULT 'community' CHECK (unit_level IN ('community', 'street', 'district')),
  ADD COLUMN unit_code text,
  ADD COLUMN unit_since timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN supervised boolean NOT NULL DEFAULT false,
  ADD COLUMN assignee text CHECK (length(assignee) <= 100),
  ADD COLUMN acknowledged_at timestamptz,
  ADD COLUMN acknowledged_by text,
  ADD COLUMN closed_at timestamptz,
  ADD COLUMN closed_by text;
-- What the sweep looks for; and the lists by unit.
CREATE INDEX alarms_unacknowledged_idx ON alarms (unit_since) WHERE handling = 'new' AND cleared_at IS NULL;
CREATE INDEX ON alarms (grid_code);

-- The history of each alarm's handling: who (an account, or the sweep as 'system'), in which role, what,
-- with which note, and the state and unit before and after.
CREATE TABLE alarm_actions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alarm_id bigint NOT NULL REFERENCES alarms ON DELETE CASCADE,
  action text NOT NULL CHECK (action IN ('acknowledge', 'assign', 'escalate', 'close')),
  auto boolean NOT NULL DEFAULT false,
  user_id integer REFERENCES users ON DELETE SET NULL,
  actor text NOT NULL,
  role text NOT NULL,
  note text CHECK (length(note) <= 2000),
  assignee text,
  from_state text NOT NULL,
  to_state text NOT NULL,
  from_level text NOT NULL,
  to_level text NOT NULL,
  from_unit text,
  to_unit text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON alarm_actions (alarm_id, id);

-- Where a station lies: the grid holding it, else the community, street or district (a station on the river
-- lies in no grid). The unit that handles its alarm first is the lowest of these.
CREATE FUNCTION station_place(station integer,
  OUT grid_code text, OUT community_code text, OUT street_code text, OUT district_code text)
LANGUAGE sql STABLE AS $$
  SELECT g.code, coalesce(g.community_code, c.code), coalesce(gc.street_code, c.street_code, st.code), coalesce(gs.district_code, cs.district_code, st.district_code, d.code)
  FROM sensor_stations s
  LEFT JOIN LATERAL (SELECT code::text, community_code::text FROM grids WHERE ST_Intersects(geom, s.geom) ORDER BY code LIMIT 1) g ON true
  LEFT JOIN communities gc ON gc.code = g.community_code
  LEFT JOIN streets gs ON gs.code = gc.street_code
  LEFT JOIN LATERAL (SELECT code::text, street_code::text FROM communities WHERE g.code IS NULL AND ST_Intersects(geom, s.geom) ORDER BY code LIMIT 1) c ON true
  LEFT JOIN streets cs ON cs.code = c.street_code
  LEFT JOIN LATERAL (SELECT code::text, district_code::text FROM streets WHERE g.code IS NULL AND c.code IS NULL AND ST_Intersects(geom, s.geom) ORDER BY code LIMIT 1) st ON true
  LEFT JOIN LATERAL (SELECT code::text FROM districts WHERE ST_Intersects(geom, s.geom) ORDER BY code LIMIT 1) d ON true
  WHERE s.id = station
$$;

CREATE FUNCTION alarm_place_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT p.grid_code, p.community_code, p.street_code, p.district_code INTO NEW.grid_code, NEW.community_code, NEW.street_code, NEW.district_code
  FROM station_place(NEW.station_id) p;
  NEW.unit_level := CASE WHEN NEW.community_code IS NOT NULL THEN 'community' WHEN NEW.street_code IS NOT NULL THEN 'street' ELSE 'district' END;
  NEW.unit_code := coalesce(NEW.community_code, NEW.street_code, NEW.district_code);
  RETURN NEW;
END $$;
CREATE TRIGGER alarm_place BEFORE INSERT ON alarms FOR EACH ROW EXECUTE FUNCTION alarm_place_fill();

-- Alarms there already: their place; those already cleared are history, closed as they stand. Not live news.
SELECT set_config('onemap.bulk_load', 'on', true);
UPDATE alarms a SET grid_code = p.grid_code, community_code = p.community_code, street_code = p.street_code, district_code = p.district_code,
       unit_level = CASE WHEN p.community_code IS NOT NULL THEN 'community' WHEN p.street_code IS NOT NULL THEN 'street' ELSE 'district' END,
       unit_code = coalesce(p.community_code, p.street_code, p.district_code),
       handling = CASE WHEN a.cleared_at IS NULL THEN 'new' ELSE 'closed' END,
       closed_at = CASE WHEN a.cleared_at IS NULL THEN NULL ELSE a.cleared_at END,
       closed_by = CASE WHEN a.cleared_at IS NULL THEN NULL ELSE 'system' END
FROM sensor_stations s, LATERAL station_place(s.id) p WHERE s.id = a.station_id;
SELECT set_config('onemap.bulk_load', 'off', true);

-- The live event of an alarm now carries its handling (never names: /api/live is public). It replaces the
-- alarms' branch of onemap_live_event (migration 010) for the alarm triggers.
CREATE FUNCTION onemap_alarm_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE last bigint;
BEGIN
  IF current_setting('onemap.bulk_load', true) = 'on' THEN RETURN NULL; END IF;
  INSERT INTO live_events (kind, payload)
    SELECT 'alarm', json_build_object('id', n.id, 'station_id', n.station_id, 'datastream_id', n.datastream_id, 'level', n.level,
           'state', CASE WHEN n.cleared_at IS NULL THEN 'active' ELSE 'cleared' END, 'raised_at', n.raised_at, 'cleared_at', n.cleared_at,
           'value', coalesce(n.cleared_value, n.raised_value), 'peak', n.peak_value, 'case_id', n.case_id,
           'lon', ST_X(s.geom), 'lat', ST_Y(s.geom), 'station', s.name, 'kind', s.kind,
           'handling', n.handling, 'unit_level', n.unit_level, 'unit_code', n.unit_code, 'unit_since', n.unit_since,
           'supervised', n.supervised, 'grid_code', n.grid_code)
    FROM onemap_rows n JOIN sensor_stations s ON s.id = n.station_id ORDER BY n.id;
  SELECT max(id) INTO last FROM live_events;
  PERFORM pg_notify('onemap_live', coalesce(last, 0)::text);
  RETURN NULL;
END $$;
DROP TRIGGER onemap_live_ins ON alarms;
DROP TRIGGER onemap_live_upd ON alarms;
CREATE TRIGGER onemap_live_ins AFTER INSERT ON alarms REFERENCING NEW TABLE AS onemap_rows FOR EACH STATEMENT EXECUTE FUNCTION onemap_alarm_event();
CREATE TRIGGER onemap_live_upd AFTER UPDATE ON alarms REFERENCING NEW TABLE AS onemap_rows FOR EACH STATEMENT EXECUTE FUNCTION onemap_alarm_event();

-- Catalogue items the sensors need that the catalogue lacked (migration 006 has the rest).
INSERT INTO case_items (code, subclass_code, name_zh, name_en, urgency, deadline_hours, drainage) VALUES
  ('E0118', 'E01', '公厕异味', 'Public-toilet odour (NH3/H2S)', 'normal', 24, false),
  ('E0727', 'E07', '水质异常', 'Abnormal water quality', 'normal', 24, true),
  ('E0728', 'E07', '水位超警戒', 'Water level above warning level', 'urgent', 2, true),
  ('E0729', 'E07', '短时强降水', 'Short-duration heavy rain', 'urgent', 2, true);

-- Which catalogue item the case of a sensor alarm gets: by station kind, and by quantity where a kind
-- measures things of different meaning (quantity null: any other quantity of the kind). Data, not code.
CREATE TABLE sensor_case_items (
  kind text NOT NULL,
  quantity text,
  item_code text NOT NULL REFERENCES case_items,
  UNIQUE NULLS NOT DISTINCT (kind, quantity)
);
INSERT INTO sensor_case_items (kind, quantity, item_code) VALUES
  ('manhole_level', 'water_level', 'E0711'), -- 污水冒溢: about to overflow
  ('manhole_level', NULL, 'E0717'),          -- 窨井异味: H2S in the manhole
  ('ponding', NULL, 'E0701'),                -- 道路积水
  ('rain', NULL, 'E0729'),                   -- 短时强降水
  ('lake_level', NULL, 'E0728'),             -- 水位超警戒
  ('river_level', NULL, 'E0728'),
  ('flow', NULL, 'E0714'),                   -- 排水口异常排放 (storm outfall flow or velocity)
  ('water_quality', NULL, 'E0727'),          -- 水质异常
  ('pressure', NULL, 'E0723'),               -- 泵站故障 (pumping-station outlet pressure)
  ('toilet_nh3', NULL, 'E0118'),             -- 公厕异味 (NH3, H2S)
  ('lpg', NULL, 'E0403'),                    -- 燃气泄漏 (urgent, 1 h)
  ('fume', NULL, 'E1101');                   -- 餐饮油烟扰民
