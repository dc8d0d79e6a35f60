// Which rows belong to the unit a wall shows (the district, one street or one community), for each way a
// table knows its place: cases by their street and community codes (indexed), cameras by their unit grid
// code (whose first 9 digits are the street, first 12 the community: server/importers/shapes/codes.ts),
// staff by the grid they are on duty for, sensors, alarms, vehicles and devices by where they are (inside
// the unit's outline).
import { BadRequestError, NotFoundError } from '../http/errors.ts';
import type pg from 'pg';
import { readOnStandby } from '../db/replica.ts';

export type WallLevel = 'district' | 'street' | 'community';

export interface WallScope {
  level: WallLevel;
  /** The street or community code; null for the district (everything). */
  code: string | null;
  /** The query parameters the conditions below refer to ($1 = the code), none for the district. */
  params: string[];
  /** Cases of the unit (`c` is the cases alias). */
  cases(c: string): string;
  /** Rows whose unit grid code column `col` lies in the unit. */
  grid(col: string): string;
  /** Rows whose point geometry `geom` lies inside the unit's outline. */
  area(geom: string): string;
}

const DISTRICT: WallScope = {
  level: 'district', code: null, params: [], cases: () => 'TRUE', grid: () => 'TRUE', area: () => 'TRUE',
};

/**
 * The scope of a street or a community. A case's street code is its community's first 9 digits, so a
 * community's cases are also looked up by their street: both columns lead indexes.
 */
function scopeOf(level: 'street' | 'community', code: string): WallScope {
  const table = level === 'street' ? 'streets' : 'communities';
  return {
    level, code, params: [code],
    cases: (c) => (level === 'street'
      ? `${c}.street_code = $1::text::bpchar`
      : `${c}.street_code = left($1::text, 9)::bpchar AND ${c}.community_code = $1::text::bpchar`),
    grid: (col) => `left(${col}, ${code.length}) = $1::text`,
    area: (geom) => `EXISTS (SELECT 1 FROM ${table} u WHERE u.code = $1::text::bpchar AND ST_Intersects(u.geom, ${geom}))`,
  };
}

/** The unit a request names (`street` or `community`, not both; neither is the district), checked to exist. */
export async function wallScope(db: pg.Pool, q: { street?: string; community?: string }): Promise<WallScope> {
  if (q.street && q.community) throw new BadRequestError('name a street or a community, not both (a community names its street: its first 9 digits)');
  if (!q.street && !q.community) return DISTRICT;
  const level = q.street ? 'street' : 'community';
  const code = (q.street ?? q.community)!;
  const { rowCount } = await readOnStandby(db, () => db.query(`SELECT 1 FROM ${level === 'street' ? 'streets' : 'communities'} WHERE code = $1`, [code]));
  if (!rowCount) {
    throw new NotFoundError(level === 'street'
      ? `there is no street (街道) with code ${code} in the district`
      : `there is no community (社区) with code ${code} in the district`);
  }
  return scopeOf(level, code);
}
