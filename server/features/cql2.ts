// CQL2 text (OGC 21-065) → an abstract syntax tree: a tokenizer and a recursive-descent parser over the
// subset we implement, as in pg_featureserv's grammar-built parser (no regular expressions over the
// whole filter). What is outside the subset fails with a 400 naming it: arithmetic, temporal (T_*) and
// array (A_*) operators, CASEI/ACCENTI and other functions, GEOMETRYCOLLECTION, 3D coordinates.
//
//   expression  = term { OR term }
//   term        = factor { AND factor }
//   factor      = [ NOT ] primary
//   primary     = "(" expression ")" | spatialFn "(" geomArg "," geomArg ")" | TRUE | FALSE | predicate
//   predicate   = scalar ( compOp scalar | [NOT] LIKE string | [NOT] BETWEEN scalar AND scalar
//                        | [NOT] IN "(" scalar { "," scalar } ")" | IS [NOT] NULL )
//   scalar      = property | 'string' | number | TRUE | FALSE | TIMESTAMP('…') | DATE('…')
//   geomArg     = property | POINT | LINESTRING | POLYGON | MULTIPOINT | MULTILINESTRING | MULTIPOLYGON
//               | BBOX(w, s, e, n) | ENVELOPE(w, s, e, n)          (WKT, lon lat order, CRS84)
import { BadRequestError, show } from '../http/errors.ts';
import { checkBbox, checkLonLat, MAX_VERTICES, type Geometry, type Position } from '../geo/input.ts';

export type CompOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Scalar =
  | { kind: 'property'; name: string; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'boolean'; value: boolean; pos: number }
  | { kind: 'timestamp'; value: string; pos: number }
  | { kind: 'date'; value: string; pos: number };

export type GeomArg =
  | { kind: 'property'; name: string; pos: number }
  | { kind: 'geometry'; geometry: Geometry; pos: number }
  | { kind: 'bbox'; bbox: [number, number, number, number]; pos: number };

export const SPATIAL_FUNCTIONS = {
  S_INTERSECTS: 'ST_Intersects', S_EQUALS: 'ST_Equals', S_DISJOINT: 'ST_Disjoint', S_TOUCHES: 'ST_Touches',
  S_WITHIN: 'ST_Within', S_OVERLAPS: 'ST_Overlaps', S_CROSSES: 'ST_Crosses', S_CONTAINS: 'ST_Contains',
} as const;
export type SpatialFn = keyof typeof SPATIAL_FUNCTIONS;

export type Expr =
  | { op: 'and' | 'or'; args: Expr[] }
  | { op: 'not'; arg: Expr }
  | { op: 'bool'; value: boolean }
  | { op: 'cmp'; cmp: CompOp; left: Scalar; right: Scalar }
  | { op: 'like'; arg: Scalar; pattern: Scalar; not: boolean }
  | { op: 'between'; arg: Scalar; low: Scalar; high: Scalar; not: boolean }
  | { op: 'in'; arg: Scalar; list: Scalar[]; not: boolean }
  | { op: 'isNull'; arg: Scalar; not: boolean }
  | { op: 'spatial'; fn: SpatialFn; args: [GeomArg, GeomArg] };

export const MAX_FILTER_LENGTH = 100_000;
const MAX_DEPTH = 64;
const MAX_IN_LIST = 1000;
/**
 * What one filter may ask of the database. Each predicate can defeat the index the page is read by (a
 * filter of hundreds of ORed terms read every row of cases and held a connection for the full statement
 * timeout), and LIKE with leading wildcards is the dearest of them: bounded, like the length above.
 */
export const MAX_PREDICATES = 50;
export const MAX_LIKE = 5;
export const MAX_LIKE_PATTERN = 100;

export class CqlError extends BadRequestError {
  constructor(message: string, pos?: number) {
    super(`filter: ${message}${pos !== undefined ? ` (at character ${pos + 1})` : ''}`);
  }
}

// ---------------------------------------------------------------------------------------------- tokens

type TokenType = 'ident' | 'qident' | 'string' | 'number' | 'op' | '(' | ')' | ',' | 'eof';
interface Token { type: TokenType; text: string; pos: number; num?: number }

const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{N}_.:]/u;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/;

export function tokenize(text: string): Token[] {
  if (text.length > MAX_FILTER_LENGTH) throw new CqlError(`longer than ${MAX_FILTER_LENGTH} characters`);
  // PostgreSQL refuses NUL in text: a string holding one would fail the query with a 500.
  const nul = text.indexOf('\u0000');
  if (nul >= 0) throw new CqlError('contains a NUL character (U+0000), which no property can hold', nul);
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    const pos = i;
    if (c === '(' || c === ')' || c === ',') { out.push({ type: c, text: c, pos }); i++; continue; }
    if (c === "'" || c === '"') {
      // 'string' or "quoted identifier"; the quote is escaped by doubling it.
      let s = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new CqlError(`unterminated ${c === "'" ? 'string' : 'quoted name'} starting`, pos);
        if (text[i] === c) {
          if (text[i + 1] === c) { s += c; i += 2; continue; }
          i++;
          break;
        }
        s += text[i++];
      }
      out.push({ type: c === "'" ? 'string' : 'qident', text: s, pos });
      continue;
    }
    const prev = out[out.length - 1];
    // A sign starts a number unless it follows a value (where it would be arithmetic); WKT has "1 -2".
    const signAllowed = !prev || !['ident', 'qident', 'string', ')'].includes(prev.type);
    if (/[0-9.]/.test(c) || ((c === '-' || c === '+') && signAllowed && /[0-9.]/.test(text[i + 1] ?? ''))) {
      const m = NUMBER.exec(text.slice(i, i + 64));
      if (!m) throw new CqlError(`malformed number`, pos);
      out.push({ type: 'number', text: m[0], num: Number(m[0]), pos });
      i += m[0].length;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '<=' || two === '>=' || two === '<>' || two === '!=') { out.push({ type: 'op', text: two, pos }); i += 2; continue; }
    if ('=<>+-*/%'.includes(c)) { out.push({ type: 'op', text: c, pos }); i++; continue; }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < text.length && IDENT_PART.test(text[j])) j++;
      out.push({ type: 'ident', text: text.slice(i, j), pos });
      i = j;
      continue;
    }
    throw new CqlError(`unexpected character ${show(c)}`, pos);
  }
  out.push({ type: 'eof', text: '', pos: text.length });
  return out;
}

// ---------------------------------------------------------------------------------------------- parser

const RESERVED = new Set(['AND', 'OR', 'NOT', 'LIKE', 'IN', 'BETWEEN', 'IS', 'NULL', 'TRUE', 'FALSE']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);
const GEOMETRY_TYPES = new Set(['POINT', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON', 'BBOX', 'ENVELOPE', 'GEOMETRYCOLLECTION']);

class Parser {
  private i = 0;
  private depth = 0;
  private vertices = 0;
  private predicates = 0;
  private likes = 0;
  constructor(private readonly t: Token[]) {}

  private peek(k = 0): Token { return this.t[Math.min(this.i + k, this.t.length - 1)]; }
  private next(): Token { return this.t[Math.min(this.i++, this.t.length - 1)]; }
  private isKw(word: string, k = 0): boolean {
    const tok = this.peek(k);
    return tok.type === 'ident' && tok.text.toUpperCase() === word;
  }
  private expect(type: TokenType, what: string): Token {
    const tok = this.next();
    if (tok.type !== type) throw new CqlError(`expected ${what}, found ${describe(tok)}`, tok.pos);
    return tok;
  }

  parse(): Expr {
    if (this.peek().type === 'eof') throw new CqlError('the filter is empty');
    const e = this.expression();
    const tok = this.peek();
    if (tok.type !== 'eof') {
      if (tok.type === 'op' && ARITHMETIC.has(tok.text)) throw new CqlError(`arithmetic (${tok.text}) is not supported`, tok.pos);
      throw new CqlError(`expected AND, OR or the end of the filter, found ${describe(tok)}`, tok.pos);
    }
    return e;
  }

  private expression(): Expr {
    if (++this.depth > MAX_DEPTH) throw new CqlError(`nested deeper than ${MAX_DEPTH} levels`, this.peek().pos);
    const args = [this.term()];
    while (this.isKw('OR')) { this.next(); args.push(this.term()); }
    this.depth--;
    return args.length === 1 ? args[0] : { op: 'or', args };
  }

  private term(): Expr {
    const args = [this.factor()];
    while (this.isKw('AND')) { this.next(); args.push(this.factor()); }
    return args.length === 1 ? args[0] : { op: 'and', args };
  }

  private factor(): Expr {
    if (this.isKw('NOT')) {
      this.next();
      if (++this.depth > MAX_DEPTH) throw new CqlError(`nested deeper than ${MAX_DEPTH} levels`, this.peek().pos);
      const arg = this.factor();
      this.depth--;
      return { op: 'not', arg };
    }
    return this.primary();
  }

  private primary(): Expr {
    const tok = this.peek();
    if (tok.type === '(') {
      this.next();
      const e = this.expression();
      this.expect(')', '")" closing the parenthesis');
      return e;
    }
    if (tok.type === 'ident' && this.peek(1).type === '(') {
      const name = tok.text.toUpperCase();
      if (name in SPATIAL_FUNCTIONS) return this.spatial(name as SpatialFn);
      if (/^T_/.test(name)) throw new CqlError(`temporal operator ${name} is not supported; compare the time property with TIMESTAMP('…') instead`, tok.pos);
      if (/^A_/.test(name)) throw new CqlError(`array operator ${name} is not supported`, tok.pos);
      if (/^S_/.test(name)) throw new CqlError(`spatial function ${name} is not supported; supported: ${Object.keys(SPATIAL_FUNCTIONS).join(', ')}`, tok.pos);
    }
    if ((this.isKw('TRUE') || this.isKw('FALSE')) && !this.startsPredicateTail(1)) {
      this.next();
      return { op: 'bool', value: tok.text.toUpperCase() === 'TRUE' };
    }
    return this.predicate();
  }

  private startsPredicateTail(k: number): boolean {
    const tok = this.peek(k);
    if (tok.type === 'op') return true;
    return tok.type === 'ident' && ['LIKE', 'IN', 'BETWEEN', 'IS', 'NOT'].includes(tok.text.toUpperCase())
      && !(tok.text.toUpperCase() === 'NOT' && !['LIKE', 'IN', 'BETWEEN'].includes(this.peek(k + 1).text.toUpperCase()));
  }

  /** One more predicate (a comparison, LIKE, BETWEEN, IN, IS NULL or spatial function) at `pos`. */
  private count(pos: number): void {
    if (++this.predicates > MAX_PREDICATES) throw new CqlError(`more than ${MAX_PREDICATES} conditions in one filter; ask for less, or split the question`, pos);
  }

  private predicate(): Expr {
    this.count(this.peek().pos);
    const left = this.scalar();
    const tok = this.peek();
    if (tok.type === 'op') {
      if (ARITHMETIC.has(tok.text)) throw new CqlError(`arithmetic (${tok.text}) is not supported`, tok.pos);
      if (tok.text === '!=') throw new CqlError('"!=" is not CQL2; use <> for not equal', tok.pos);
      this.next();
      const right = this.scalar();
      const after = this.peek();
      if (after.type === 'op' && ARITHMETIC.has(after.text)) throw new CqlError(`arithmetic (${after.text}) is not supported`, after.pos);
      return { op: 'cmp', cmp: tok.text as CompOp, left, right };
    }
    let not = false;
    if (this.isKw('NOT')) { this.next(); not = true; }
    if (this.isKw('LIKE')) {
      const at = this.next().pos;
      if (++this.likes > MAX_LIKE) throw new CqlError(`more than ${MAX_LIKE} LIKE conditions in one filter`, at);
      const pattern = this.scalar();
      if (pattern.kind === 'string' && pattern.value.length > MAX_LIKE_PATTERN) throw new CqlError(`a LIKE pattern may be at most ${MAX_LIKE_PATTERN} characters`, pattern.pos);
      return { op: 'like', arg: left, pattern, not };
    }
    if (this.isKw('BETWEEN')) {
      this.next();
      const low = this.scalar();
      if (!this.isKw('AND')) throw new CqlError(`expected AND in BETWEEN … AND …, found ${describe(this.peek())}`, this.peek().pos);
      this.next();
      return { op: 'between', arg: left, low, high: this.scalar(), not };
    }
    if (this.isKw('IN')) {
      this.next();
      this.expect('(', '"(" starting the IN list');
      const list = [this.scalar()];
      while (this.peek().type === ',') {
        this.next();
        list.push(this.scalar());
        if (list.length > MAX_IN_LIST) throw new CqlError(`an IN list may hold at most ${MAX_IN_LIST} values`, this.peek().pos);
      }
      this.expect(')', '")" or "," in the IN list');
      return { op: 'in', arg: left, list, not };
    }
    if (!not && this.isKw('IS')) {
      this.next();
      if (this.isKw('NOT')) { this.next(); not = true; }
      if (!this.isKw('NULL')) throw new CqlError(`expected NULL after IS${not ? ' NOT' : ''}, found ${describe(this.peek())}`, this.peek().pos);
      this.next();
      return { op: 'isNull', arg: left, not };
    }
    const at = this.peek();
    throw new CqlError(`expected a comparison (=, <>, <, <=, >, >=, LIKE, BETWEEN, IN, IS NULL) after ${scalarText(left)}, found ${describe(at)}`, at.pos);
  }

  private scalar(): Scalar {
    const tok = this.next();
    switch (tok.type) {
      case 'string': return { kind: 'string', value: tok.text, pos: tok.pos };
      case 'number': return { kind: 'number', value: tok.num!, pos: tok.pos };
      case 'qident': return { kind: 'property', name: tok.text, pos: tok.pos };
      case 'ident': {
        const up = tok.text.toUpperCase();
        if (this.peek().type === '(') {
          if (up === 'TIMESTAMP' || up === 'DATE') {
            this.next();
            const s = this.expect('string', `a quoted ${up === 'DATE' ? 'date' : 'timestamp'} in ${up}(…)`);
            this.expect(')', `")" closing ${up}(…)`);
            return { kind: up === 'DATE' ? 'date' : 'timestamp', value: s.text, pos: tok.pos };
          }
          if (up === 'INTERVAL') throw new CqlError('INTERVAL is not supported; use BETWEEN TIMESTAMP(…) AND TIMESTAMP(…)', tok.pos);
          if (up === 'CASEI' || up === 'ACCENTI') throw new CqlError(`function ${up} (case/accent-insensitive comparison) is not supported`, tok.pos);
          if (GEOMETRY_TYPES.has(up)) throw new CqlError(`a geometry literal (${up}) can only be an argument of a spatial function such as S_INTERSECTS`, tok.pos);
          if (up in SPATIAL_FUNCTIONS) throw new CqlError(`${up}(…) is a predicate; use it on its own, not as a value`, tok.pos);
          throw new CqlError(`function ${tok.text} is not supported`, tok.pos);
        }
        if (up === 'TRUE' || up === 'FALSE') return { kind: 'boolean', value: up === 'TRUE', pos: tok.pos };
        if (up === 'NULL') throw new CqlError('NULL can only be tested with IS NULL or IS NOT NULL', tok.pos);
        if (RESERVED.has(up)) throw new CqlError(`expected a property name or a value, found the keyword ${up}`, tok.pos);
        return { kind: 'property', name: tok.text, pos: tok.pos };
      }
      case 'op':
        if (ARITHMETIC.has(tok.text)) throw new CqlError(`arithmetic (${tok.text}) is not supported`, tok.pos);
        throw new CqlError(`expected a property name or a value, found ${describe(tok)}`, tok.pos);
      case '(':
        throw new CqlError('a parenthesis cannot start a value here (arithmetic is not supported)', tok.pos);
      default:
        throw new CqlError(`expected a property name or a value, found ${describe(tok)}`, tok.pos);
    }
  }

  // ------------------------------------------------------------------------------------ spatial

  private spatial(fn: SpatialFn): Expr {
    this.count(this.next().pos);
    this.expect('(', `"(" after ${fn}`);
    const a = this.geomArg(fn);
    this.expect(',', `"," between the two arguments of ${fn}`);
    const b = this.geomArg(fn);
    this.expect(')', `")" closing ${fn}(…)`);
    return { op: 'spatial', fn, args: [a, b] };
  }

  private geomArg(fn: SpatialFn): GeomArg {
    const tok = this.peek();
    if (tok.type === 'qident') { this.next(); return { kind: 'property', name: tok.text, pos: tok.pos }; }
    if (tok.type !== 'ident') throw new CqlError(`expected a geometry property or a WKT geometry in ${fn}, found ${describe(tok)}`, tok.pos);
    const up = tok.text.toUpperCase();
    if (!GEOMETRY_TYPES.has(up)) {
      if (this.peek(1).type === '(') throw new CqlError(`${tok.text}(…) is not a supported geometry; use POINT, LINESTRING, POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON, BBOX or ENVELOPE`, tok.pos);
      this.next();
      return { kind: 'property', name: tok.text, pos: tok.pos };
    }
    this.next();
    const where = `${up} in ${fn}`;
    if (up === 'GEOMETRYCOLLECTION') throw new CqlError('GEOMETRYCOLLECTION is not supported', tok.pos);
    if (this.isKw('Z') || this.isKw('M') || this.isKw('ZM')) throw new CqlError(`${up} ${this.peek().text.toUpperCase()}: only 2D coordinates are supported`, this.peek().pos);
    if (this.isKw('EMPTY')) throw new CqlError(`${up} EMPTY is not supported`, this.peek().pos);
    if (up === 'BBOX' || up === 'ENVELOPE') {
      this.expect('(', `"(" after ${up}`);
      const nums: number[] = [];
      for (let k = 0; k < 4; k++) {
        if (k > 0) this.expect(',', `"," between the 4 numbers of ${up}(west, south, east, north)`);
        nums.push(this.expect('number', `a number in ${up}(west, south, east, north)`).num!);
      }
      if (this.peek().type === ',') throw new CqlError(`${up} with 6 numbers (3D) is not supported`, this.peek().pos);
      this.expect(')', `")" closing ${up}(west, south, east, north)`);
      try {
        return { kind: 'bbox', bbox: checkBbox(nums, `${up}(west, south, east, north)`), pos: tok.pos };
      } catch (e) {
        throw new CqlError((e as Error).message, tok.pos);
      }
    }
    const pos = tok.pos;
    switch (up) {
      case 'POINT': return { kind: 'geometry', geometry: { type: 'Point', coordinates: this.wrapped(() => this.position(where)) }, pos };
      case 'LINESTRING': return { kind: 'geometry', geometry: { type: 'LineString', coordinates: this.line(where, 2) }, pos };
      case 'POLYGON': return { kind: 'geometry', geometry: { type: 'Polygon', coordinates: this.polygon(where) }, pos };
      case 'MULTIPOINT':
        // Both MULTIPOINT((1 2), (3 4)) and MULTIPOINT(1 2, 3 4) are WKT.
        return { kind: 'geometry', geometry: { type: 'MultiPoint', coordinates: this.list(() => (this.peek().type === '(' ? this.wrapped(() => this.position(where)) : this.position(where))) }, pos };
      case 'MULTILINESTRING': return { kind: 'geometry', geometry: { type: 'MultiLineString', coordinates: this.list(() => this.line(where, 2)) }, pos };
      default: return { kind: 'geometry', geometry: { type: 'MultiPolygon', coordinates: this.list(() => this.polygon(where)) }, pos };
    }
  }

  private wrapped<T>(inner: () => T): T {
    this.expect('(', '"("');
    const v = inner();
    this.expect(')', '")"');
    return v;
  }

  private list<T>(item: () => T): T[] {
    return this.wrapped(() => {
      const out = [item()];
      while (this.peek().type === ',') { this.next(); out.push(item()); }
      return out;
    });
  }

  private position(where: string): Position {
    const x = this.expect('number', `a longitude in ${where}`);
    const y = this.expect('number', `a latitude after ${x.text} in ${where} (coordinates are "lon lat", separated by a space)`);
    if (this.peek().type === 'number') throw new CqlError(`${where}: only 2D coordinates are supported`, this.peek().pos);
    if (++this.vertices > MAX_VERTICES) throw new CqlError(`more than ${MAX_VERTICES} vertices in the filter's geometries`, x.pos);
    try {
      return checkLonLat(x.num, y.num, `filter: ${where}`);
    } catch (e) {
      throw new CqlError(`${(e as Error).message.replace(/^filter: /, '')}`, x.pos);
    }
  }

  private line(where: string, min: number): Position[] {
    const at = this.peek().pos;
    const pts = this.list(() => this.position(where));
    if (pts.length < min) throw new CqlError(`${where}: a line needs at least ${min} positions`, at);
    return pts;
  }

  private polygon(where: string): Position[][] {
    return this.list(() => {
      const at = this.peek().pos;
      const r = this.line(where, 4);
      const [a, b] = [r[0], r[r.length - 1]];
      if (a[0] !== b[0] || a[1] !== b[1]) throw new CqlError(`${where}: a ring must end where it starts`, at);
      return r;
    });
  }
}

function describe(tok: Token): string {
  switch (tok.type) {
    case 'eof': return 'the end of the filter';
    case 'string': return `the string ${show(tok.text, 30)}`;
    case 'qident': return `the name ${show(tok.text, 30)}`;
    default: return show(tok.text, 30);
  }
}

function scalarText(s: Scalar): string {
  return s.kind === 'property' ? s.name : s.kind === 'string' ? `'${s.value.slice(0, 30)}'` : String(s.value);
}

/** Parses CQL2 text; throws CqlError (a 400) with the position of the problem. */
export function parseCql2(text: string): Expr {
  return new Parser(tokenize(text)).parse();
}
