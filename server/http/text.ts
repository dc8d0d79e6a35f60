// Characters no text from a client may hold. PostgreSQL refuses NUL in text and jsonb, and jsonb refuses
// the JSON escape of a UTF-16 surrogate without its pair (what JSON.stringify writes for one): either
// failed the INSERT with a 500. The other C0 controls (all but tab, LF and CR) and the noncharacters
// U+FFFE/U+FFFF are stored, but no person types them: they hide text in a page, break XML (Open311, which
// cannot carry them at all) and CSV readers, and end up in exports. All are refused with a 400 that names
// the field: every JSON body and query string at the door (http/route-helpers.ts), other free text (forms,
// file names) where it is read.
import { BadRequestError } from './errors.ts';

const REFUSED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Where in `value` (a path below `name`, '/'-separated as in Ajv's messages) the first refused character is, and which. */
export function findRefusedText(value: unknown, name: string): { field: string; char: string } | null {
  if (typeof value === 'string') {
    const m = REFUSED.exec(value);
    return m ? { field: name, char: m[0] } : null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const m = REFUSED.exec(k);
      if (m) return { field: `${name}/${JSON.stringify(k.slice(0, 40))} (a property name)`, char: m[0] };
      const found = findRefusedText(v, `${name}/${k}`);
      if (found) return found;
    }
  }
  return null;
}

export function refusedTextMessage(field: string, char: string): string {
  const code = `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  const what = char === '\u0000' ? `a NUL character (${code})`
    : char < ' ' ? `the control character ${code}`
      : char >= '\uD800' && char <= '\uDFFF' ? `an unpaired UTF-16 surrogate (${code})`
        : `the noncharacter ${code}`;
  return `${field} contains ${what}; text may not hold control characters other than tab, line feed and carriage return, U+FFFE, U+FFFF or unpaired surrogates`;
}

/** Throws a 400 naming the first field whose text (or any string inside it) holds a refused character. */
export function checkStorableText(fields: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(fields)) {
    const found = findRefusedText(value, name);
    if (found) throw new BadRequestError(refusedTextMessage(found.field, found.char));
  }
}
