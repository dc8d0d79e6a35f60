-- The reach a hazard without a named reach is put on: the nearest within hazard_near_m() metres of its
-- position, else none. One rule for the ledger import (server/importers/layers/hazards.ts) and the map's
-- editing (server/edit/layers.ts).
CREATE OR REPLACE FUNCTION hazard_near_m() RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 30::double precision $$;

CREATE OR REPLACE FUNCTION nearest_pipe(g geometry, metres double precision DEFAULT hazard_near_m())
  RETURNS integer LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT p.id FROM pipes p WHERE ST_DWithin(p.geom::geography, g::geography, metres) ORDER BY p.geom <-> g LIMIT 1
$$;
