// District, water, streets, communities and unit grids: a partition of the real outline without gaps.
import type pg from 'pg';
import { wuchangOutline, WUCHANG_CODE } from './boundary.ts';
import { metresPerDegree, riverBank, type XY } from './geometry.ts';
import { COMMUNITY_SUFFIXES, COMMUNITY_WORDS, LAKES, STREETS } from './places.ts';

export const TARGET_COMMUNITIES = 140;
export const TARGET_GRIDS = 1367;

/** Splits `total` over weights so the parts sum to it exactly (largest remainder), each part ≥ 1. */
export function apportion(weights: number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (w / sum) * total);
  const parts = raw.map((r) => Math.max(1, Math.floor(r)));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k][1]]++;
  for (let k = order.length - 1; left < 0; k = (k - 1 + order.length) % order.length) {
    if (parts[order[k][1]] > 1) { parts[order[k][1]]--; left++; }
  }
  return parts;
}

export async function seedAdmin(db: pg.ClientBase): Promise<void> {
  const outline = wuchangOutline();
  await db.query(
    `INSERT INTO districts (code, name, synthetic, geom)
     VALUES ($1, '武昌区', false, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON($2), 4326)), 3)))
     ON CONFLICT (code) DO UPDATE SET geom = excluded.geom`,
    [WUCHANG_CODE, JSON.stringify(outline)],
  );

  // The Yangtze: a 1.4 km band on the river side of the bank (left of it, walking downstream-to-upstream
  // SW→NE), extended 3 km past both ends, minus the district.
  const bank = extendBank(riverBank(outline.coordinates[0][0]), 3000);
  await db.query(
    `INSERT INTO water (name, kind, synthetic, geom)
     SELECT '长江', 'river', true, ST_Multi(ST_CollectionExtract(ST_Difference(ST_Transform(
              ST_Buffer(ST_SimplifyPreserveTopology(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), 32650), 80),
                        1400, 'side=left join=round'), 4326), (SELECT geom FROM districts)), 3))`,
    [JSON.stringify({ type: 'LineString', coordinates: bank })],
  );
  for (const [i, lake] of LAKES.entries()) {
    await db.query(
      `INSERT INTO water (name, kind, synthetic, geom)
       VALUES ($1, 'lake', true, ST_Multi(pg_temp.lake($2, $3, $4, $5, $6, $7)))`,
      [lake.name, lake.lon, lake.lat, lake.rx, lake.ry, lake.rot, 100 + i],
    );
  }

  // Streets: Voronoi cells of the anchors, clipped to the outline.
  await db.query(
    `WITH a AS (SELECT * FROM unnest($1::text[], $2::float8[], $3::float8[]) WITH ORDINALITY AS t(name, lon, lat, i)),
     v AS (SELECT (ST_Dump(ST_VoronoiPolygons(ST_Collect(ST_SetSRID(ST_MakePoint(lon, lat), 4326)), 0,
                   ST_Expand((SELECT geom FROM districts), 0.1)))).geom AS c FROM a)
     INSERT INTO streets (code, name, district_code, synthetic, geom)
     SELECT $4 || lpad(a.i::text, 3, '0'), a.name, $4, true,
            ST_Multi(ST_CollectionExtract(ST_Intersection(v.c, d.geom), 3))
     FROM a JOIN v ON ST_Contains(v.c, ST_SetSRID(ST_MakePoint(a.lon, a.lat), 4326)), districts d`,
    [STREETS.map((s) => s.name), STREETS.map((s) => s.lon), STREETS.map((s) => s.lat), WUCHANG_CODE],
  );

  // Communities per street in proportion to area, then grids per community likewise.
  const streets = (await db.query<{ code: string; name: string; area: number }>(
    `SELECT code, name, ST_Area(geom::geography) AS area FROM streets ORDER BY code`)).rows;
  const perStreet = apportion(streets.map((s) => s.area), TARGET_COMMUNITIES);
  let nameIndex = 0;
  for (const [k, s] of streets.entries()) {
    const names = Array.from({ length: perStreet[k] }, () => communityName(nameIndex++));
    await db.query(
      `INSERT INTO communities (code, name, street_code, synthetic, geom)
       SELECT $1 || lpad(row_number() OVER (ORDER BY ST_Y(ST_Centroid(cell)) DESC, ST_X(ST_Centroid(cell)))::text, 3, '0'),
              ($4::text[])[row_number() OVER (ORDER BY ST_Y(ST_Centroid(cell)) DESC, ST_X(ST_Centroid(cell)))],
              $1, true, cell
       FROM pg_temp.cells((SELECT geom FROM streets WHERE code = $1), $2, $3) WHERE NOT ST_IsEmpty(cell)`,
      [s.code, perStreet[k], 1000 + k, names],
    );
  }
  const communities = (await db.query<{ code: string; area: number }>(
    `SELECT code, ST_Area(geom::geography) AS area FROM communities ORDER BY code`)).rows;
  const perCommunity = apportion(communities.map((c) => c.area), TARGET_GRIDS);
  // Grid sequence numbers run west→east within 150 m bands, north→south (GB/T 30428.1 numbering).
  await db.query(
    `WITH c AS (SELECT * FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS t(code, n, i)),
     cells AS (SELECT c.code, x.cell FROM c, communities m,
               LATERAL pg_temp.cells(m.geom, c.n, 5000 + c.i::integer) x
               WHERE m.code = c.code AND NOT ST_IsEmpty(x.cell))
     INSERT INTO grids (code, community_code, area_m2, synthetic, geom)
     SELECT code || lpad(row_number() OVER (PARTITION BY code ORDER BY
              floor(ST_Y(ST_Transform(ST_Centroid(cell), 32650)) / -150), ST_X(ST_Centroid(cell)))::text, 3, '0'),
            code, ST_Area(cell::geography), true, cell
     FROM cells`,
    [communities.map((c) => c.code), perCommunity],
  );
}

function communityName(i: number): string {
  const w = COMMUNITY_WORDS.length;
  const word = COMMUNITY_WORDS[(i * 7) % w];
  const suffix = COMMUNITY_SUFFIXES[Math.floor(i / w) % COMMUNITY_SUFFIXES.length];
  return word + suffix;
}

/** Prolongs a polyline by `m` metres at both ends along its end directions. */
function extendBank(line: XY[], m: number): XY[] {
  const [mx, my] = metresPerDegree(line[0][1]);
  const push = (from: XY, to: XY): XY => {
    const dx = (to[0] - from[0]) * mx;
    const dy = (to[1] - from[1]) * my;
    const len = Math.hypot(dx, dy) || 1;
    return [to[0] + ((dx / len) * m) / mx, to[1] + ((dy / len) * m) / my];
  };
  const k = Math.min(10, line.length - 1); // look a few vertices back so one jagged vertex does not steer
  return [push(line[k], line[0]), ...line, push(line[line.length - 1 - k], line[line.length - 1])];
}
