// What a layer importer is: the part of an import that differs from layer to layer. The shared pipeline
// (server/importers/pipeline) reads the file, decodes it, finds its header, matches its columns to the
// layer's fields (its LayerTarget), converts positions to WGS84, checks each row's values against their
// types and enumerations, and stages the rows in a temporary table (import_rows) inside the import's
// transaction. A layer module then says what only it knows:
//   row()      its own checks of one row (code formats, ranges) and the stable key the row is stored under;
//   resolve()  SQL over the staged rows: codes of other tables found (a community by its name), rows
//              refused where a code is unknown;
//   classify() SQL that marks each staged row insert, update or unchanged against the table;
//   write()    the upsert, run only when every row passed and the import is not a dry run;
//   derive()   what follows in other tables (grid codes of cases and cameras after a re-gridding).
// keyed-table.ts makes classify() and write() for the common case of one table with a unique code.
import type pg from 'pg';
import type { LayerTarget } from '../shapes/columns.ts';

export type Tx = pg.ClientBase;

/** A row's values by field: coerced to the field's type, enumerations as their stored value; null when empty or not mapped. */
export type FieldValues = Readonly<Record<string, string | number | null>>;

/** The geometry a layer's rows have; `none` for rows placed by codes alone (inspection results). */
export type GeometryKind = 'point' | 'polygon' | 'any' | 'none';

export interface RowContext {
  /** Codes of the districts in the database (6 digits), which grid and street codes start with. */
  districts: readonly string[];
  /** Fields the file has a column for. */
  mapped: ReadonlySet<string>;
  /** The import's date (YYYY-MM-DD, Asia/Shanghai), for dates a ledger leaves out. */
  today: string;
}

/** One row as a module sees it. */
export interface RowInput {
  values: FieldValues;
  /** The cells of the module's rawFields as the file wrote them (a grade "Ⅲ级" is no integer to coerce). */
  raw: Readonly<Record<string, string>>;
  /** The row's position in WGS84 (a point, or a polygon's first vertex), or null without one. */
  point: readonly [number, number] | null;
}

/** What a module makes of one row: the key it is stored under and the values to stage, or why it is refused. */
export type RowResult = { ok: true; key: string; values: Record<string, unknown> } | { ok: false; reason: string };

/** A column of the staging table: a name and its SQL type (that of the table column it fills, so values compare exactly). */
export interface StageColumn {
  name: string;
  sql: string;
}

export interface StageContext {
  /** The name of the staging table (a temporary table of the transaction). */
  table: 'import_rows';
  mapped: ReadonlySet<string>;
  /** Rows of the table that the file does not have are removed (a re-gridding); modules that allow it say so. */
  replace: boolean;
  /** What a module's write() keeps for its derive() (coverage before the write), for this import only. */
  notes: Map<string, unknown>;
}

/** Counts and lists a module adds to the report under `derived`. */
export type Derived = Record<string, unknown>;

/**
 * The table a layer's import inserts rows into, by its key column, and the staged column that holds that key
 * (default `key`): the import records the keys it wrote (import_keys), so that removing it removes what it inserted.
 */
export interface OwnedRows {
  table: string;
  key: string;
  staged?: string;
}

export interface LayerModule {
  /** The layer's name in `--layer` and `?layer=`. */
  layer: string;
  owns: OwnedRows;
  target: LayerTarget;
  geometry: GeometryKind;
  /** Rows may come without a position (a vehicle not yet seen, a hazard placed by its reach's code). */
  positionOptional?: boolean;
  /** Staged columns besides row, key, geom, reason and action. */
  stage: readonly StageColumn[];
  /** Fields the pipeline leaves as text for row() to read (raw), instead of coercing them to their type. */
  rawFields?: readonly string[];
  row(input: RowInput, ctx: RowContext): RowResult;
  resolve?(tx: Tx, ctx: StageContext): Promise<void>;
  classify(tx: Tx, ctx: StageContext): Promise<void>;
  write(tx: Tx, ctx: StageContext): Promise<void>;
  derive?(tx: Tx, ctx: StageContext): Promise<Derived>;
  /** Whether replace=true is allowed: the file is the whole layer, rows not in it are removed (and how many would be). */
  replaceable?: { count(tx: Tx): Promise<number>; remove(tx: Tx): Promise<number> };
}

/** Refuses a row: `reason` in words a person can act on. */
export const refuse = (reason: string): RowResult => ({ ok: false, reason });
export const accept = (key: string, values: Record<string, unknown>): RowResult => ({ ok: true, key, values });
