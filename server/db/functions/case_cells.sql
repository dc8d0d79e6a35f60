-- The case counts behind the low-zoom case tiles (tables case_cell_totals and case_cell_deltas, view
-- case_cells: migrations 005 and 013), kept exact by statement triggers on cases. A write appends its
-- changes to case_cell_deltas, which no two writers contend on; the server folds them into the totals
-- every second (case_cells_fold, single-flight), and readers add the pending deltas to the totals.
-- Workflow steps that keep a case open where it was (accept, verify, dispatch, …) change no count and
-- write nothing; only reports, moves, closing/rejecting (or reopening) and deletes do.

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

-- One statement-level trigger per event: PostgreSQL allows transition tables on one event only.
CREATE OR REPLACE TRIGGER case_cells_ins AFTER INSERT ON cases REFERENCING NEW TABLE AS onemap_new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION case_cells_apply();
CREATE OR REPLACE TRIGGER case_cells_upd AFTER UPDATE ON cases REFERENCING OLD TABLE AS onemap_old_rows NEW TABLE AS onemap_new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION case_cells_apply();
CREATE OR REPLACE TRIGGER case_cells_del AFTER DELETE ON cases REFERENCING OLD TABLE AS onemap_old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION case_cells_apply();
CREATE OR REPLACE TRIGGER case_cells_trunc AFTER TRUNCATE ON cases FOR EACH STATEMENT EXECUTE FUNCTION case_cells_truncate();

-- Moves the committed deltas into the totals; returns how many cells changed. One folder at a time (a second
-- caller returns 0 at once): two folds upserting the same cells in different orders could deadlock.
-- Emptied cells stay as n = 0 rows (readers skip them): deleting them would need a scan.
CREATE OR REPLACE FUNCTION case_cells_fold() RETURNS integer LANGUAGE plpgsql AS $$
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
