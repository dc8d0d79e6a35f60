-- pg_restore runs with an empty search_path; a function called while rows are loaded (the cameras' field
-- of view is a generated column) must name its schema itself, or a restore fails on "type geometry".
ALTER FUNCTION onemap_fov(geometry, real, real, real) SET search_path = public, pg_temp;
