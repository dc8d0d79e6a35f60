-- Counts in view (server/data/counts.ts) sum the rows of finest-level cells along the view's top and bottom
-- edges: a narrow range of cy over a wide range of cx, which the primary key (z, cx, cy) can only scan
-- column by column.
CREATE INDEX IF NOT EXISTS case_cell_totals_rows ON case_cell_totals (z, cy, cx);
