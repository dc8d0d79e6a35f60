-- A defect whose hazard is fixed has been repaired: it no longer counts in its reach's CJJ 181 scores
-- (server/drainage/condition.ts leaves it out), and pipe_condition.repaired lists it so the ranking and
-- the identify panel can say what was repaired. A hazard's status or defect changing therefore queues
-- its reach, like a change of the defect itself (migration 008), whoever makes it.
ALTER TABLE pipe_condition ADD COLUMN repaired jsonb NOT NULL DEFAULT '[]';

CREATE OR REPLACE FUNCTION onemap_queue_hazard_condition() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids integer[];
BEGIN
  ids := CASE TG_OP WHEN 'INSERT' THEN ARRAY[NEW.defect_id] WHEN 'DELETE' THEN ARRAY[OLD.defect_id]
                    ELSE ARRAY[OLD.defect_id, NEW.defect_id] END;
  INSERT INTO pipe_condition_queue (pipe_id)
    SELECT DISTINCT i.pipe_id FROM defects d JOIN inspections i ON i.id = d.inspection_id WHERE d.id = ANY(ids)
    ON CONFLICT DO NOTHING;
  PERFORM pg_notify('onemap_condition', '');
  RETURN NULL;
END $$;
-- Row-level with WHEN: a statement-level trigger would queue reaches on every hazard update (grid codes…).
CREATE TRIGGER onemap_condition_hazard_ins AFTER INSERT ON hazards
  FOR EACH ROW WHEN (NEW.defect_id IS NOT NULL AND NEW.status = 'fixed') EXECUTE FUNCTION onemap_queue_hazard_condition();
CREATE TRIGGER onemap_condition_hazard_upd AFTER UPDATE OF status, defect_id ON hazards
  FOR EACH ROW WHEN ((OLD.status = 'fixed' OR NEW.status = 'fixed')
                     AND (OLD.status, OLD.defect_id) IS DISTINCT FROM (NEW.status, NEW.defect_id))
  EXECUTE FUNCTION onemap_queue_hazard_condition();
CREATE TRIGGER onemap_condition_hazard_del AFTER DELETE ON hazards
  FOR EACH ROW WHEN (OLD.defect_id IS NOT NULL AND OLD.status = 'fixed') EXECUTE FUNCTION onemap_queue_hazard_condition();

-- Reaches scored before this rule with a fixed hazard's defect in them.
INSERT INTO pipe_condition_queue (pipe_id)
  SELECT DISTINCT i.pipe_id FROM hazards h JOIN defects d ON d.id = h.defect_id JOIN inspections i ON i.id = d.inspection_id
  WHERE h.status = 'fixed'
  ON CONFLICT DO NOTHING;
