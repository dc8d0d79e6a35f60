-- Feature queries (OGC API – Features, search, nearest, within).

-- Search matches pipe and manhole codes by substring (case-insensitive); trigram indexes turn those
-- ILIKE '%…%' scans of ~21 k rows each into index lookups.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX manholes_code_trgm_idx ON manholes USING gin (code gin_trgm_ops);
CREATE INDEX pipes_code_trgm_idx ON pipes USING gin (code gin_trgm_ops);

-- No parallel scans of cases. Its queries are interactive pages of ≤ 10 000 rows by index; on a
-- 2-core server a parallel plan only adds worker start-up (measured 90–200 ms against 2–45 ms for the
-- serial plan of the same items page or capped count) and takes the core another request needs.
ALTER TABLE cases SET (parallel_workers = 0);

-- Keyset pages of cases with a bbox read ids in order and test each point against the box; with the
-- point beside the id in the index that is an index-only scan (5.32 M cases: a 1 km box's page in ~2 ms
-- instead of ~15 ms reading the table, ~80 ms collecting the whole box first). ~300 MB at 5.32 M rows.
CREATE INDEX cases_id_geom_idx ON cases (id) INCLUDE (geom);
