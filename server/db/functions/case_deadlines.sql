-- When a case is overdue (逾期): the rule isOverdue states in TypeScript (server/domain/cases/workflow.ts),
-- for SQL; test/integration/case-rules.test.ts holds the two to the same answers. "Open" is case_is_open(),
-- which stays in migration 005: an index is built on it, and an index does not follow a redefinition.

-- Overdue at `at`: open, with a deadline before `at`; the clock of a suspended case stopped when it was
-- suspended, so it counts only if it was late by then. A conjunction of plain conditions, because the planner
-- inlines the function: the open cases past their deadline are then read from cases_open_deadline_idx.
-- Never null for a case row (status is NOT NULL) and a non-null `at`.
CREATE OR REPLACE FUNCTION case_is_overdue(status text, deadline_at timestamptz, suspended_at timestamptz, at timestamptz)
  RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT case_is_open(status) AND deadline_at IS NOT NULL AND deadline_at < at
     AND (status <> 'suspended' OR suspended_at IS NULL OR deadline_at < suspended_at)
$$;

-- The moment a case turns overdue in its current state, for a client that compares it with its own clock (a
-- cached case tile must not go stale while time passes): its deadline when it can be overdue at all, else null
-- (closed, rejected, no deadline, suspended in time). case_is_overdue(…, at) is case_overdue_from(…) < at.
CREATE OR REPLACE FUNCTION case_overdue_from(status text, deadline_at timestamptz, suspended_at timestamptz)
  RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN case_is_overdue(status, deadline_at, suspended_at, 'infinity') THEN deadline_at END
$$;
