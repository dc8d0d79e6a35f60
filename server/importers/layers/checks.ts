// Checks a layer module makes of one row's values, each giving a reason a person can act on, or null.
import type { LayerTarget } from '../shapes/columns.ts';
import type { FieldValues } from './types.ts';

/** The label of a field, as the report names it ("方位角 azimuth (°)"). */
export function labelOf(target: LayerTarget, field: string): string {
  return target.fields.find((f) => f.field === field)?.label ?? field;
}

export interface Range {
  min: number;
  max: number;
  /** The bounds themselves are outside (a field of view of 0°). */
  exclusiveMin?: boolean;
}

/** "value out of range: …" when `field` has a number outside the range; null when it is empty or inside. */
export function outOfRange(target: LayerTarget, v: FieldValues, field: string, r: Range): string | null {
  const x = v[field];
  if (typeof x !== 'number') return null;
  const low = r.exclusiveMin ? x <= r.min : x < r.min;
  if (!low && x <= r.max) return null;
  return `value out of range: ${labelOf(target, field)} ${x} is not ${r.exclusiveMin ? 'above' : 'within'} ${r.min}${r.exclusiveMin ? ` and at most ${r.max}` : `–${r.max}`}`;
}

/** An angle as 0 ≤ a < 360 (ledgers write −90 or 360 too); null when empty; NaN outside −360…360. */
export function bearing(v: string | number | null): number | null {
  if (typeof v !== 'number') return null;
  if (v < -360 || v > 360) return NaN;
  return ((v % 360) + 360) % 360;
}

/** The first reason of several checks. */
export function firstReason(...reasons: (string | null)[]): string | null {
  return reasons.find((r) => r !== null) ?? null;
}

export const text = (v: string | number | null): string | null => (v === null ? null : String(v));
