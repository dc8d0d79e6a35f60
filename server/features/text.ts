// Text the database cannot store. PostgreSQL refuses NUL in text and jsonb, and jsonb refuses the JSON
// escape of a UTF-16 surrogate without its pair (what JSON.stringify writes for one): either would fail
// the INSERT with a 500, so free text from clients is checked first and refused with a 400.
import { BadRequestError } from './errors.ts';

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Throws a 400 naming the first field whose text (or any string inside it) cannot be stored. */
export function checkStorableText(fields: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(fields)) {
    if (hasUnstorable(value)) throw new BadRequestError(`${name} contains a character that cannot be stored (NUL or an unpaired UTF-16 surrogate)`);
  }
}

function hasUnstorable(v: unknown): boolean {
  if (typeof v === 'string') return UNSTORABLE.test(v);
  if (Array.isArray(v)) return v.some(hasUnstorable);
  if (v && typeof v === 'object') return Object.entries(v).some(([k, x]) => UNSTORABLE.test(k) || hasUnstorable(x));
  return false;
}
