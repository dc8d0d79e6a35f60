-- Cases closed today, for the wall of any unit (server/data/wall.ts): without an index on the closing time a
-- street's wall read every case of the street (at 5.32 M cases ~800 k rows) and the district's every case.
CREATE INDEX cases_closed_at_idx ON cases (closed_at) WHERE closed_at IS NOT NULL;
