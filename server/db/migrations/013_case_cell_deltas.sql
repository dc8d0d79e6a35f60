-- Case writes no longer queue on the district's shared cells. Migration 005's trigger upserted the counts of
-- levels 0–16 in place, so every report and every workflow step held the level-0 row (and the other low levels
-- covering the whole district) until it committed: at 200 clients a report waited ~0.9 s in that queue
-- (bench/results/load-2026-11-27.md). Now a write appends its changes to case_cell_deltas, which no two writers
-- contend on, and the server folds them into the totals every second (case_cells_fold, single-flight). Readers
-- keep reading `case_cells`, now a view that adds the pending deltas to the totals, so counts stay exact the
-- moment a write commits, whether or not a server is folding.
-- Workflow steps that keep a case open where it was (accept, verify, dispatch, …) change no count: they write
-- nothing at all now; only reports, moves, closing/rejecting (or reopening) and deletes do.
ALTER TABLE case_cells RENAME TO case_cell_totals;
ALTER INDEX case_cells_pkey RENAME TO case_cell_totals_pkey;

CREATE TABLE case_cell_deltas (
  z smallint NOT NULL,
  cx integer NOT NULL,
  cy integer NOT NULL,
  n integer NOT NULL,
  n_open integer NOT NULL,
  sx double precision NOT NULL,
  sy double precision NOT NULL
);
CREATE INDEX case_cell_deltas_cell ON case_cell_deltas (z, cx, cy);

-- Conditions on z, cx and cy are pushed into both branches (each read by its index) before the grouping.
CREATE VIEW case_cells AS
  SELECT z, cx, cy, sum(n)::integer AS n, sum(n_open)::integer AS n_open, sum(sx) AS sx, sum(sy) AS sy
  FROM (SELECT z, cx, cy, n, n_open, sx, sy FROM case_cell_totals
        UNION ALL
        SELECT z, cx, cy, n, n_open, sx, sy FROM case_cell_deltas) c
  GROUP BY z, cx, cy;

-- The changed rows as (position, open?, +1/-1) go through one aggregation whatever the statement was. The
-- transition tables are visible to EXECUTE in PL/pgSQL, so each operation names only its own.
CREATE OR REPLACE FUNCTION case_cells_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT geom3857, case_is_open(status), 1 FROM onemap_new_rows'
    WHEN 'DELETE' THEN 'SELECT geom3857, case_is_open(status), -1 FROM onemap_old_rows'
    ELSE 'SELECT x.g, x.open, x.s FROM onemap_old_rows o JOIN onemap_new_rows w USING (id),
            LATERAL (VALUES (o.geom3857, case_is_open(o.status), -1), (w.geom3857, case_is_open(w.status), 1)) x(g, open, s)
          WHERE NOT (o.geom3857 = w.geom3857 AND case_is_open(o.status) = case_is_open(w.status))'
  END;
BEGIN
  EXECUTE 'INSERT INTO case_cell_deltas (z, cx, cy, n, n_open, sx, sy)
    SELECT k.z, k.cx, k.cy, sum(r.s), coalesce(sum(r.s) FILTER (WHERE r.open), 0), sum(r.s * ST_X(r.g)), sum(r.s * ST_Y(r.g))
    FROM (' || changed || ') r(g, open, s), case_cell_rows(r.g) k GROUP BY 1, 2, 3';
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION case_cells_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN TRUNCATE case_cell_totals, case_cell_deltas; RETURN NULL; END $$;

-- Moves the committed deltas into the totals; returns how many cells changed. One folder at a time (a second
-- caller returns 0 at once): two folds upserting the same cells in different orders could deadlock.
-- Emptied cells stay as n = 0 rows (readers skip them): deleting them would need a scan.
CREATE FUNCTION case_cells_fold() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE k integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(4201060005) THEN RETURN 0; END IF;
  WITH d AS (DELETE FROM case_cell_deltas RETURNING *)
  INSERT INTO case_cell_totals AS c (z, cx, cy, n, n_open, sx, sy)
  SELECT z, cx, cy, sum(n), sum(n_open), sum(sx), sum(sy) FROM d GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (z, cx, cy) DO UPDATE
    SET n = c.n + excluded.n, n_open = c.n_open + excluded.n_open, sx = c.sx + excluded.sx, sy = c.sy + excluded.sy;
  GET DIAGNOSTICS k = ROW_COUNT;
  RETURN k;
END $$;
