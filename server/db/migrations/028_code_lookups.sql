-- Pipe and manhole codes are unique per network import (import_id, code), so a lookup by code alone — a
-- ledger's hazards, stations or CCTV results naming their reach or manhole — could not use that index, and
-- the planner took the trigram index kept for search: about 1 ms a code, 10 s for a 10,000-row ledger.
-- A plain index on the code answers each in microseconds.
CREATE INDEX ON pipes (code);
CREATE INDEX ON manholes (code);
