-- Drainage analysis: CJJ 181 scores per reach, the unit grid each reach and point lies in (for summaries
-- per community and street), and imported networks.

-- The unit grid of a reach (at its midpoint) and of a hazard/misconnection: summaries per community and
-- street group by it instead of joining 21 k lines with 1 367 polygons on every request.
ALTER TABLE pipes ADD COLUMN grid_code char(15);
ALTER TABLE misconnections ADD COLUMN grid_code char(15);
ALTER TABLE hazards ADD COLUMN grid_code char(15);
CREATE OR REPLACE FUNCTION onemap_set_grid_code() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE p geometry := CASE WHEN GeometryType(NEW.geom) = 'LINESTRING' THEN ST_LineInterpolatePoint(NEW.geom, 0.5) ELSE NEW.geom END;
BEGIN
  NEW.grid_code := (SELECT g.code FROM grids g WHERE ST_Intersects(g.geom, p) ORDER BY g.code LIMIT 1);
  RETURN NEW;
END $$;
DO $$ DECLARE t text; BEGIN
  FOREACH t IN ARRAY ARRAY['pipes','misconnections','hazards'] LOOP
    EXECUTE format('CREATE TRIGGER onemap_grid_code BEFORE INSERT OR UPDATE OF geom ON %I FOR EACH ROW EXECUTE FUNCTION onemap_set_grid_code()', t);
    EXECUTE format('UPDATE %I SET geom = geom', t);
    EXECUTE format('CREATE INDEX ON %I (grid_code)', t);
  END LOOP;
END $$;

-- CJJ 181 weighting inputs as the standard's classes (server/domain/cjj181/tables.ts gives their values);
-- E follows from the diameter. The numeric columns of 003 are replaced.
ALTER TABLE pipes ADD COLUMN area_class text NOT NULL DEFAULT 'other' CHECK (area_class IN ('cbd', 'arterial', 'road', 'other'));
ALTER TABLE pipes ADD COLUMN soil_class text NOT NULL DEFAULT 'general' CHECK (soil_class IN (
  'general', 'silt_sand', 'loess_iv', 'loess_iii', 'loess_i_ii', 'expansive_strong', 'expansive_medium', 'expansive_weak', 'muck', 'mucky_soil', 'red_clay'));
UPDATE pipes SET area_class = CASE WHEN k_area >= 10 THEN 'cbd' WHEN k_area >= 6 THEN 'arterial' WHEN k_area >= 3 THEN 'road' ELSE 'other' END,
                 soil_class = CASE WHEN t_soil >= 10 THEN 'silt_sand' WHEN t_soil >= 8 THEN 'mucky_soil' WHEN t_soil >= 6 THEN 'expansive_weak' ELSE 'general' END
  WHERE k_area IS NOT NULL OR t_soil IS NOT NULL;
ALTER TABLE pipes DROP COLUMN k_area, DROP COLUMN e_importance, DROP COLUMN t_soil;

-- CJJ 181 scores of a reach from its latest inspection (server/domain/cjj181 computes them; this table
-- stores them). Values are null where the reach has no inspection.
CREATE TABLE pipe_condition (
  pipe_id integer PRIMARY KEY REFERENCES pipes ON DELETE CASCADE,
  inspection_id integer REFERENCES inspections ON DELETE SET NULL,
  inspected_at date,
  -- Structural: S, Smax, F, SM, RI; grade of F (Ⅰ–Ⅳ as 1–4) and of RI; density class and repair advice codes.
  s real, smax real, f real, sm real, ri real,
  sgrade smallint CHECK (sgrade BETWEEN 1 AND 4), ri_grade smallint, sdensity text, sadvice text,
  -- Functional: Y, Ymax, G, YM, MI; grade of G and of MI; density class and maintenance advice codes.
  y real, ymax real, g real, ym real, mi real,
  fgrade smallint CHECK (fgrade BETWEEN 1 AND 4), mi_grade smallint, fdensity text, fadvice text,
  k real, e real, t real,
  -- Defect codes with grade, e.g. {PL3,CK2}, for filtering by code.
  codes text[] NOT NULL DEFAULT '{}',
  defects jsonb NOT NULL DEFAULT '[]',
  -- Why the reach could not be scored (e.g. a grade the standard does not define for its code).
  error text,
  computed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON pipe_condition (ri DESC NULLS LAST);
CREATE INDEX ON pipe_condition (mi DESC NULLS LAST);
CREATE INDEX ON pipe_condition USING gin (codes);

-- Reaches whose scores are stale. Triggers queue them whoever changes the data (API, import, psql);
-- the server drains the queue (FOR UPDATE SKIP LOCKED, so several servers share it) and writes
-- pipe_condition and pipes.sgrade/fgrade, which the change feed then carries to the map.
CREATE TABLE pipe_condition_queue (
  pipe_id integer PRIMARY KEY,
  queued_at timestamptz NOT NULL DEFAULT now()
);
CREATE OR REPLACE FUNCTION onemap_queue_condition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'inspections' THEN
    INSERT INTO pipe_condition_queue (pipe_id)
      SELECT pipe_id FROM onemap_rows ON CONFLICT DO NOTHING;
  ELSIF TG_TABLE_NAME = 'defects' THEN
    INSERT INTO pipe_condition_queue (pipe_id)
      SELECT DISTINCT i.pipe_id FROM onemap_rows r JOIN inspections i ON i.id = r.inspection_id ON CONFLICT DO NOTHING;
  END IF;
  PERFORM pg_notify('onemap_condition', '');
  RETURN NULL;
END $$;
DO $$ DECLARE t text; BEGIN
  FOREACH t IN ARRAY ARRAY['inspections','defects'] LOOP
    EXECUTE format('CREATE TRIGGER onemap_condition_ins AFTER INSERT ON %I REFERENCING NEW TABLE AS onemap_rows FOR EACH STATEMENT EXECUTE FUNCTION onemap_queue_condition()', t);
    EXECUTE format('CREATE TRIGGER onemap_condition_upd AFTER UPDATE ON %I REFERENCING NEW TABLE AS onemap_rows FOR EACH STATEMENT EXECUTE FUNCTION onemap_queue_condition()', t);
    EXECUTE format('CREATE TRIGGER onemap_condition_del AFTER DELETE ON %I REFERENCING OLD TABLE AS onemap_rows FOR EACH STATEMENT EXECUTE FUNCTION onemap_queue_condition()', t);
  END LOOP;
END $$;
-- A reach's own inputs (length, diameter, area and soil class) also change its scores. Row-level: PostgreSQL allows no
-- transition table with a column list, and without one the worker's own sgrade update would requeue.
CREATE OR REPLACE FUNCTION onemap_queue_pipe_condition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM inspections i WHERE i.pipe_id = NEW.id) THEN
    INSERT INTO pipe_condition_queue (pipe_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    PERFORM pg_notify('onemap_condition', '');
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER onemap_condition_inputs AFTER UPDATE OF length_m, diameter_mm, area_class, soil_class ON pipes
  FOR EACH ROW WHEN ((OLD.length_m, OLD.diameter_mm, OLD.area_class, OLD.soil_class) IS DISTINCT FROM (NEW.length_m, NEW.diameter_mm, NEW.area_class, NEW.soil_class))
  EXECUTE FUNCTION onemap_queue_pipe_condition();
-- A reach whose last inspection is deleted must lose its scores: deleting an inspection queues it above.
INSERT INTO pipe_condition_queue (pipe_id) SELECT DISTINCT pipe_id FROM inspections ON CONFLICT DO NOTHING;

-- Imported networks (GeoJSON, Shapefile, GeoPackage, SWMM): one row per import; its manholes and pipes
-- point back to it, and keep their codes from the source file (unique within an import).
CREATE TABLE imports (
  id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  filename text NOT NULL,
  format text NOT NULL CHECK (format IN ('geojson', 'shapefile', 'gpkg', 'swmm')),
  source_crs text,
  options jsonb NOT NULL DEFAULT '{}',
  report jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE manholes ADD COLUMN import_id integer REFERENCES imports ON DELETE CASCADE;
ALTER TABLE pipes ADD COLUMN import_id integer REFERENCES imports ON DELETE CASCADE;
ALTER TABLE manholes DROP CONSTRAINT manholes_code_key;
ALTER TABLE pipes DROP CONSTRAINT pipes_code_key;
CREATE UNIQUE INDEX manholes_code_key ON manholes (import_id, code) NULLS NOT DISTINCT;
CREATE UNIQUE INDEX pipes_code_key ON pipes (import_id, code) NULLS NOT DISTINCT;
CREATE INDEX ON manholes (import_id);
CREATE INDEX ON pipes (import_id);
