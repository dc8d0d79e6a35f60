-- A field worker's 我的上报: their own reports, newest first (GET /api/cases?reported_by_me=true). Without
-- this the list walks the whole case table backwards by id for the few cases an account reported. Only
-- staff reports name an account, so the index holds a small part of the table.
CREATE INDEX cases_reporter_user ON cases (reporter_user_id, id) WHERE reporter_user_id IS NOT NULL;
