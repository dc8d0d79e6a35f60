// CQL2 AST → a SQL condition over one collection. Property names go through the collection's whitelist
// (the SQL is ours, from collections.ts); every value becomes a bound parameter, cast to the property's
// type so indexes stay usable; types are checked here so a mistake is a 400 with advice, not a 500.
import { GEOMETRY_NAMES, propertyPgType, propertySql, queryableNames, queryableProperty, type CollectionDef, type PropertyDef } from './collections.ts';
import { CqlError, SPATIAL_FUNCTIONS, type Expr, type GeomArg, type Scalar } from './cql2.ts';
import { toWkt } from '../geo/input.ts';
import type { Params } from './sql.ts';
import { parseInstant } from '../http/time.ts';

export interface CompiledFilter {
  sql: string;
  /** WKT of polygon literals, to be checked for validity before the query runs. */
  polygons: string[];
}

type Category = 'text' | 'numeric' | 'boolean' | 'temporal';

function category(p: PropertyDef): Category {
  switch (p.type) {
    case 'string': return 'text';
    case 'integer': case 'number': return 'numeric';
    case 'boolean': return 'boolean';
    default: return 'temporal';
  }
}

class Compiler {
  readonly polygons: string[] = [];
  constructor(private readonly c: CollectionDef, private readonly params: Params) {}

  private property(name: string, pos: number): PropertyDef {
    const p = queryableProperty(this.c, name);
    if (!p) {
      if (GEOMETRY_NAMES.has(name)) throw new CqlError(`the geometry can only be used in a spatial function such as S_INTERSECTS(${name}, …)`, pos);
      throw new CqlError(`unknown property ${JSON.stringify(name.slice(0, 60))} in collection ${this.c.id}; queryables: ${queryableNames(this.c).join(', ')}`, pos);
    }
    return p;
  }

  /** A literal compared with property `name`: checked, with the cast its placeholder gets. */
  private literal(p: PropertyDef, name: string, s: Scalar): { value: unknown; cast: string } {
    const cast = propertyPgType(p);
    switch (category(p)) {
      case 'text':
        if (s.kind !== 'string') throw new CqlError(`${name} is text; quote the value: ${name} = '${s.kind === 'property' ? s.name : String(s.value)}'`, s.pos);
        return { value: s.value, cast };
      case 'numeric':
        if (s.kind !== 'number') throw new CqlError(`${name} is a number; write the value without quotes`, s.pos);
        if (!Number.isFinite(s.value)) throw new CqlError(`${name}: the number is out of range`, s.pos);
        return { value: s.value, cast: p.type === 'integer' && Number.isSafeInteger(s.value) ? 'bigint' : 'float8' };
      case 'boolean':
        if (s.kind !== 'boolean') throw new CqlError(`${name} is true or false; compare it with TRUE or FALSE`, s.pos);
        return { value: s.value, cast: 'boolean' };
      case 'temporal': {
        if (s.kind !== 'timestamp' && s.kind !== 'date' && s.kind !== 'string') {
          throw new CqlError(`${name} is a ${p.type}; compare it with TIMESTAMP('2024-01-31T08:00:00Z') or DATE('2024-01-31')`, s.pos);
        }
        const t = parseInstant(s.value);
        if (!t || (s.kind === 'date' && t.kind !== 'date') || (s.kind === 'timestamp' && t.kind !== 'date-time')) {
          const want = s.kind === 'date' ? 'a date YYYY-MM-DD' : s.kind === 'timestamp' ? 'an RFC 3339 time such as 2024-01-31T08:00:00Z' : 'an RFC 3339 time or date';
          throw new CqlError(`${JSON.stringify(s.value.slice(0, 40))} is not ${want}`, s.pos);
        }
        // A date-time compared with a date column is compared as a time (the date at midnight).
        return { value: t.text, cast: t.kind === 'date' ? 'date' : 'timestamptz' };
      }
    }
  }

  private value(p: PropertyDef, name: string, s: Scalar): string {
    const { value, cast } = this.literal(p, name, s);
    return this.params.add(value, cast);
  }

  expr(e: Expr): string {
    switch (e.op) {
      case 'and': case 'or': return `(${e.args.map((a) => this.expr(a)).join(e.op === 'and' ? ' AND ' : ' OR ')})`;
      case 'not': return `(NOT ${this.expr(e.arg)})`;
      case 'bool': return e.value ? 'TRUE' : 'FALSE';
      case 'cmp': return this.comparison(e);
      case 'like': {
        const [name, p] = this.subject(e.arg, 'LIKE');
        if (category(p) !== 'text') throw new CqlError(`LIKE needs a text property; ${name} is a ${p.type}`, e.arg.pos);
        if (e.pattern.kind !== 'string') throw new CqlError(`LIKE needs a quoted pattern such as '%abc%'`, e.pattern.pos);
        // \ escapes the next character (\% \_ \\); one left dangling at the end is an error in PostgreSQL (a 500).
        if (/(^|[^\\])(\\\\)*\\$/.test(e.pattern.value)) throw new CqlError('the LIKE pattern ends with a lone \\ (it escapes the next character); write \\\\ for a backslash', e.pattern.pos);
        return `(${propertySql(p, name)} ${e.not ? 'NOT LIKE' : 'LIKE'} ${this.params.add(e.pattern.value, 'text')})`;
      }
      case 'between': {
        const [name, p] = this.subject(e.arg, 'BETWEEN');
        if (category(p) !== 'numeric' && category(p) !== 'temporal') throw new CqlError(`BETWEEN needs a number or time property; ${name} is a ${p.type}`, e.arg.pos);
        return `(${propertySql(p, name)} ${e.not ? 'NOT BETWEEN' : 'BETWEEN'} ${this.value(p, name, e.low)} AND ${this.value(p, name, e.high)})`;
      }
      case 'in': {
        const [name, p] = this.subject(e.arg, 'IN');
        const items = e.list.map((v) => this.literal(p, name, v));
        // One array parameter; the element type is the widest of the items' casts.
        const casts = new Set(items.map((i) => i.cast));
        const cast = casts.size === 1 ? [...casts][0] : casts.has('float8') ? 'float8' : 'timestamptz';
        const arr = this.params.add(items.map((i) => i.value), `${cast}[]`);
        return `(${e.not ? 'NOT ' : ''}${propertySql(p, name)} = ANY(${arr}))`;
      }
      case 'isNull': {
        const [name, p] = this.subject(e.arg, 'IS NULL');
        return `(${propertySql(p, name)} IS ${e.not ? 'NOT ' : ''}NULL)`;
      }
      case 'spatial': return this.spatial(e);
    }
  }

  private subject(s: Scalar, what: string): [string, PropertyDef] {
    if (s.kind !== 'property') throw new CqlError(`${what} needs a property name on its left`, s.pos);
    return [s.name, this.property(s.name, s.pos)];
  }

  private comparison(e: Extract<Expr, { op: 'cmp' }>): string {
    const { left, right } = e;
    if (left.kind === 'property' && right.kind === 'property') {
      const [pl, pr] = [this.property(left.name, left.pos), this.property(right.name, right.pos)];
      if (category(pl) !== category(pr)) throw new CqlError(`cannot compare ${left.name} (${pl.type}) with ${right.name} (${pr.type})`, left.pos);
      return `(${propertySql(pl, left.name)} ${e.cmp} ${propertySql(pr, right.name)})`;
    }
    if (left.kind === 'property') {
      const p = this.property(left.name, left.pos);
      return `(${propertySql(p, left.name)} ${e.cmp} ${this.value(p, left.name, right)})`;
    }
    if (right.kind === 'property') {
      // value op property ≡ property (mirrored op) value
      const mirror: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '<>': '<>' };
      const p = this.property(right.name, right.pos);
      return `(${propertySql(p, right.name)} ${mirror[e.cmp]} ${this.value(p, right.name, left)})`;
    }
    throw new CqlError('a comparison needs a property on at least one side', left.pos);
  }

  private spatial(e: Extract<Expr, { op: 'spatial' }>): string {
    const [a, b] = e.args;
    const props = e.args.filter((g) => g.kind === 'property').length;
    if (props !== 1) {
      throw new CqlError(`${e.fn} needs the geometry property and one geometry literal, e.g. ${e.fn}(geometry, POINT(114.31 30.55))`, a.pos);
    }
    return `${SPATIAL_FUNCTIONS[e.fn]}(${this.geom(a)}, ${this.geom(b)})`;
  }

  private geom(g: GeomArg): string {
    if (g.kind === 'property') {
      if (!GEOMETRY_NAMES.has(g.name)) {
        throw new CqlError(`${JSON.stringify(g.name.slice(0, 60))} is not the geometry; spatial functions take "geometry" (or "geom")`, g.pos);
      }
      return 't.geom';
    }
    if (g.kind === 'bbox') {
      const [w, s, e, n] = g.bbox.map((v) => this.params.add(v, 'float8'));
      return `ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`;
    }
    const wkt = toWkt(g.geometry);
    if (g.geometry.type === 'Polygon' || g.geometry.type === 'MultiPolygon') this.polygons.push(wkt);
    return `ST_GeomFromText(${this.params.add(wkt, 'text')}, 4326)`;
  }
}

/** Compiles a parsed filter against a collection, adding its values to `params`. */
export function compileFilter(e: Expr, c: CollectionDef, params: Params): CompiledFilter {
  const compiler = new Compiler(c, params);
  return { sql: compiler.expr(e), polygons: compiler.polygons };
}
