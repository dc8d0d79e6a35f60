-- Camera field of view as a polygon (the sector the map draws and coverage is measured with), kept with
-- the camera row: a sector of range_m around azimuth_deg, hfov_deg wide, from 17 points on the arc on the
-- ellipsoid (ST_Project). The same definition as server/domain/fov.ts.
CREATE OR REPLACE FUNCTION onemap_fov(cam geometry, azimuth_deg real, hfov_deg real, range_m real) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN hfov_deg >= 360 THEN ST_Buffer(cam::geography, range_m, 16)::geometry
    ELSE ST_MakePolygon(ST_MakeLine(ARRAY[cam] || ARRAY(
      SELECT ST_Project(cam::geography, range_m, radians(azimuth_deg - hfov_deg / 2 + hfov_deg * i / 16.0))::geometry
      FROM generate_series(0, 16) i ORDER BY i) || ARRAY[cam])) END
$$;
ALTER TABLE cameras ADD COLUMN fov geometry(Polygon, 4326) GENERATED ALWAYS AS (onemap_fov(geom, azimuth_deg, hfov_deg, range_m)) STORED;
CREATE INDEX ON cameras USING gist (fov);
