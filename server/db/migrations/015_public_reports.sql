-- What the public may read of a citizen report, and whose photos are whose.
--  • cases.publish: the reporter agreed (Open311 x_publish=true) that the description and the photo sent
--    with the report be shown to the public. Off unless asked for: a description often names people or
--    places a person lives (PIPL's consent for personal information made public).
--  • media.case_id: the one case a photo belongs to (a report's or one of its steps'); its readers are
--    that case's readers. A photo no case took is removed after a day.
--  • media.uploader_user_id: the account that uploaded it, null for an anonymous (citizen) upload; only
--    the uploader reads a photo not yet attached, and only anonymous uploads go with a citizen report.
ALTER TABLE cases ADD COLUMN publish boolean NOT NULL DEFAULT false;

ALTER TABLE media ADD COLUMN case_id bigint REFERENCES cases ON DELETE SET NULL;
-- No foreign key: an account removed later must not turn its uploads into anonymous ones.
ALTER TABLE media ADD COLUMN uploader_user_id integer;

-- Photos already attached keep their case (the report's photos first, then the steps' in order).
UPDATE media m SET case_id = a.case_id
FROM (SELECT DISTINCT ON (photo) photo, case_id FROM (
        SELECT c.id AS case_id, p::text AS photo, 0 AS k FROM cases c, unnest(c.photos) p WHERE c.photos <> '{}'
        UNION ALL
        SELECT t.case_id, p, t.id AS k FROM case_transitions t, unnest(t.photos) p WHERE t.photos <> '{}') x
      ORDER BY photo, k) a
WHERE m.id::text = a.photo;
UPDATE media m SET uploader_user_id = u.id FROM users u WHERE u.username = m.uploaded_by;

CREATE INDEX media_case_idx ON media (case_id);
-- The sweep of photos no case took.
CREATE INDEX media_unattached_idx ON media (created_at) WHERE case_id IS NULL;
