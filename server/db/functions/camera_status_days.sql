-- Camera online ratio per day (days of Asia/Shanghai), rolled up from status_history: the share of the
-- known part of each day a camera spent online, and its status at the day's end (or at `upto`). A camera
-- is known from its first history row on. Re-run for a day as often as wanted: it replaces that day.
CREATE OR REPLACE FUNCTION camera_status_roll_up(first_day date, last_day date, upto timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz := first_day::timestamp AT TIME ZONE 'Asia/Shanghai';
  t1 timestamptz := least(upto, (last_day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai');
  n integer;
BEGIN
  DELETE FROM camera_status_days WHERE day BETWEEN first_day AND last_day;
  IF t1 <= t0 THEN RETURN 0; END IF;
  WITH h AS (
    -- Each camera's status when the window opens (one index probe each), and its changes inside it.
    SELECT c.id, b.at, b.status FROM cameras c,
      LATERAL (SELECT at, status FROM status_history WHERE thing = 'camera' AND id = c.id AND at <= t0 ORDER BY at DESC LIMIT 1) b
    UNION ALL
    SELECT id, at, status FROM status_history WHERE thing = 'camera' AND at > t0 AND at < t1),
  spans AS (
    SELECT id, status, greatest(at, t0) AS s0, coalesce(lead(at) OVER (PARTITION BY id ORDER BY at), t1) AS s1 FROM h),
  pieces AS (
    SELECT s.id, d.day, s.status, greatest(s.s0, d.d0) AS a, least(s.s1, d.d1) AS b
    FROM spans s, LATERAL (
      SELECT g::date AS day, g::date::timestamp AT TIME ZONE 'Asia/Shanghai' AS d0, (g::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai' AS d1
      FROM generate_series((s.s0 AT TIME ZONE 'Asia/Shanghai')::date, ((s.s1 - interval '1 microsecond') AT TIME ZONE 'Asia/Shanghai')::date, interval '1 day') g) d
    WHERE s.s1 > s.s0)
  INSERT INTO camera_status_days (camera_id, day, online_ratio, status)
  SELECT p.id, p.day,
         round((coalesce(sum(extract(epoch FROM p.b - p.a)) FILTER (WHERE p.status = 'online'), 0) / sum(extract(epoch FROM p.b - p.a)))::numeric, 3)::real,
         (array_agg(p.status ORDER BY p.b DESC))[1]
  FROM pieces p JOIN cameras c ON c.id = p.id
  WHERE p.b > p.a
  GROUP BY p.id, p.day;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;
