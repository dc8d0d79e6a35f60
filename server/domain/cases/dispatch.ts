// Which departments (处置单位) fit a case, best first: a pure rule over the departments' scopes (the rows of
// department_items and department_grids). The dispatcher picks; this only suggests, and says why.
//
// Choices — each has a unit test:
//  1. A department fits when one of its item scopes is the case's item or its subclass (a prefix of the item
//     code) AND one of its grid scopes is a prefix of the case's unit grid. A case without a grid fits only
//     district-wide departments (a 6-digit scope).
//  2. Rank: the more specific item scope first (an item beats a subclass: the gas company for a gas cover,
//     before the bureau for all utility covers); then the more specific area (a street's squad before the
//     district bureau for the same subclass); then the code, so the order is stable.
//  3. Inactive departments are never suggested.

export interface DepartmentScope {
  code: string;
  active?: boolean;
  /** Subclass (C07) or item (C0711) codes. */
  items: readonly string[];
  /** District (6), street (9), community (12) or grid (15 digit) codes. */
  grids: readonly string[];
}

export type ItemMatch = 'item' | 'subclass';
export type AreaMatch = 'district' | 'street' | 'community' | 'grid';

export interface Suggestion {
  code: string;
  /** Why: which of its scopes matched. */
  item_match: ItemMatch;
  area_match: AreaMatch;
  item_scope: string;
  area_scope: string;
}

const AREA_BY_LENGTH: Record<number, AreaMatch> = { 6: 'district', 9: 'street', 12: 'community', 15: 'grid' };

/** The longest scope that prefixes `code` (the most specific match), or null. */
function bestPrefix(scopes: readonly string[], code: string): string | null {
  let best: string | null = null;
  for (const raw of scopes) {
    const s = raw.trim();
    if (s !== '' && code.startsWith(s) && (best === null || s.length > best.length)) best = s;
  }
  return best;
}

/** The departments that fit an item in a grid, best first (choices 1–3). */
export function rankDepartments(departments: readonly DepartmentScope[], itemCode: string, gridCode: string | null | undefined): Suggestion[] {
  const item = itemCode.trim();
  const grid = gridCode?.trim() || null;
  const out: Suggestion[] = [];
  for (const d of departments) {
    if (d.active === false) continue;
    const itemScope = bestPrefix(d.items, item);
    if (!itemScope) continue;
    const areaScope = grid ? bestPrefix(d.grids, grid) : d.grids.map((g) => g.trim()).find((g) => g.length === 6) ?? null;
    if (!areaScope) continue;
    out.push({
      code: d.code,
      item_match: itemScope.length === item.length ? 'item' : 'subclass',
      area_match: AREA_BY_LENGTH[areaScope.length] ?? 'district',
      item_scope: itemScope,
      area_scope: areaScope,
    });
  }
  return out.sort((a, b) => b.item_scope.length - a.item_scope.length || b.area_scope.length - a.area_scope.length || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
