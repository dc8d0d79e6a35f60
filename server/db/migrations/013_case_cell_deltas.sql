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

-- case_cells_apply() now appends to case_cell_deltas, case_cells_truncate() empties both tables, and
-- case_cells_fold() moves the deltas into the totals: all three in server/db/functions/case_cells.sql.
