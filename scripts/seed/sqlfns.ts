// Session-local SQL helpers for the generator. Randomness is a hash of (key, salt), never random(), so the
// same seed gives the same city whatever the row order or parallelism.
export const SQL_HELPERS = `
CREATE OR REPLACE FUNCTION pg_temp.rnd(k bigint, salt bigint) RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
  $$ SELECT ((hashint8extended(k, salt) & 2147483647)::double precision) / 2147483648.0 $$;

-- A lake shore: an ellipse (metres, in UTM 50N) whose radius wobbles smoothly with the angle.
CREATE OR REPLACE FUNCTION pg_temp.lake(lon double precision, lat double precision, rx double precision,
    ry double precision, rot double precision, salt bigint) RETURNS geometry LANGUAGE sql IMMUTABLE AS $$
  WITH c AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 32650) AS p),
  pts AS (
    SELECT a, 1 + 0.12 * sin(3 * a + 6.28 * pg_temp.rnd(1, salt)) + 0.07 * sin(7 * a + 6.28 * pg_temp.rnd(2, salt))
                + 0.04 * sin(13 * a + 6.28 * pg_temp.rnd(3, salt)) AS f
    FROM generate_series(0, 71) i, LATERAL (SELECT i * 2 * pi() / 72 AS a) s
  )
  SELECT ST_Transform(ST_SetSRID(ST_MakePolygon(ST_AddPoint(line, ST_StartPoint(line))), 32650), 4326)
  FROM (
    SELECT ST_MakeLine(ST_MakePoint(
             ST_X(c.p) + f * (rx * cos(a) * cos(radians(rot)) - ry * sin(a) * sin(radians(rot))),
             ST_Y(c.p) + f * (rx * cos(a) * sin(radians(rot)) + ry * sin(a) * cos(radians(rot)))) ORDER BY a) AS line
    FROM pts, c
  ) l
$$;

-- Splits a polygon into n Voronoi cells seeded by deterministic random points inside it.
CREATE OR REPLACE FUNCTION pg_temp.cells(g geometry, n integer, salt integer)
  RETURNS TABLE (i integer, cell geometry) LANGUAGE sql AS $$
  WITH pts AS (SELECT (ST_Dump(ST_GeneratePoints(g, greatest(n, 1), salt))).geom AS p),
  v AS (SELECT (ST_Dump(ST_VoronoiPolygons(ST_Collect(p), 0, ST_Expand(g, 0.05)))).geom AS c FROM pts)
  SELECT (row_number() OVER ())::integer, ST_Multi(ST_CollectionExtract(ST_Intersection(c, g), 3))
  FROM v WHERE n > 1 AND ST_Intersects(c, g)
  UNION ALL SELECT 1, ST_Multi(g) WHERE n <= 1
$$;
`;
