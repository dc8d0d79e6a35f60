-- Which catalogue item the case of a facility's alarm gets: by the alarm's cause and the facility's kind
-- (kind null: any other kind), as sensor_case_items does for stations. Only alarms open cases (a level past
-- 保证水位, a pump or gate fault); a level past 警戒 is a warning and does not. Data, not code.
INSERT INTO case_items (code, subclass_code, name_zh, name_en, urgency, deadline_hours, drainage) VALUES
  ('E0730', 'E07', '闸门故障', 'Flood-gate failure', 'urgent', 1, true);

CREATE TABLE facility_case_items (
  kind text,
  cause text NOT NULL,
  item_code text NOT NULL REFERENCES case_items,
  UNIQUE NULLS NOT DISTINCT (kind, cause)
);
INSERT INTO facility_case_items (kind, cause, item_code) VALUES
  (NULL, 'pump_fault', 'E0723'),                 -- 泵站故障
  (NULL, 'gate_fault', 'E0730'),                 -- 闸门故障
  ('waterlogging_point', 'level', 'E0702'),      -- 渍水点渍水
  ('outfall', 'level', 'E0724'),                 -- 外江水倒灌: the river above the outfall
  (NULL, 'level', 'E0728');                      -- 水位超警戒 (lakes, channels, a station's forebay)
