-- The open cases by deadline (read by the overdue filter and counts, server/db/functions/case_deadlines.sql)
-- are the ones case_is_open() names, instead of a status list of the index's own.
DROP INDEX cases_open_deadline_idx;
CREATE INDEX cases_open_deadline_idx ON cases (deadline_at) WHERE case_is_open(status);
