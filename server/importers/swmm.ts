// EPA SWMM 5 `.inp` reader and writer for the drainage-network importer/exporter.
//
// Pure: strings in, strings out, no dependencies. Only the hydraulic network (nodes, conduits, cross
// sections and their map geometry) is parsed into typed records; every other section is carried as
// raw text lines so that a model read here can be written back without losing anything SWMM needs.
//
// The rules follow the SWMM 5.2 engine (input.c, node.c, link.c) rather than the GUI: a `;` starts a
// comment anywhere, columns are whitespace separated (double quotes group a token), object names are
// case-insensitive, and the minimum column counts are the engine's.

// ---------------------------------------------------------------------------------------------------
// Types

export type SwmmNodeKind = 'junction' | 'outfall' | 'storage' | 'divider';

export interface SwmmNode {
  name: string;
  kind: SwmmNodeKind;
  /** Invert elevation, in the model's length units (feet for US flow units, metres otherwise). */
  invert: number;
  /**
   * Maximum depth (model length units) for junctions and storage units. Null for outfalls, which have
   * none, and for dividers, whose depth column moves with the divider type (it stays in `rest`).
   */
  maxDepth: number | null;
  /** The columns after MaxDepth (after the invert for outfalls and dividers), verbatim. */
  rest: string[];
}

export interface SwmmConduit {
  name: string;
  /** Inlet node, spelled as the node is declared. */
  from: string;
  /** Outlet node, spelled as the node is declared. */
  to: string;
  length: number;
  /** Manning's n. */
  roughness: number;
  /**
   * Offset of the conduit invert above the node invert (LINK_OFFSETS DEPTH) or its absolute
   * elevation (ELEVATION). Null stands for SWMM's `*` ("at the node invert"), allowed with ELEVATION only.
   */
  inOffset: number | null;
  outOffset: number | null;
  /** InitFlow, MaxFlow and anything after them, verbatim. */
  rest: string[];
}

export interface SwmmXsection {
  /** Shape keyword, upper case (CIRCULAR, RECT_CLOSED, CUSTOM, IRREGULAR, ...). */
  shape: string;
  geom1: number;
  geom2: number;
  geom3: number;
  geom4: number;
  barrels: number;
  /**
   * The object a shape is defined by: the transect of an IRREGULAR, the street of a STREET or the
   * shape curve of a CUSTOM section; null for the parametric shapes. The geometry slot it occupies
   * (Geom1 for IRREGULAR/STREET, Geom2 for CUSTOM) reads as 0.
   */
  ref: string | null;
  /** Columns after Barrels (the culvert code), or after the reference for IRREGULAR/STREET. */
  rest: string[];
}

export type XY = [number, number];

export interface SwmmModel {
  /** [TITLE] text lines (comments removed). */
  title: string[];
  /**
   * [OPTIONS] keyed by upper-case option name; the value is the remaining columns joined by one space.
   * FLOW_UNITS (default CFS) and LINK_OFFSETS (default DEPTH) are always present, in upper case.
   */
  options: Record<string, string>;
  junctions: SwmmNode[];
  outfalls: SwmmNode[];
  storage: SwmmNode[];
  dividers: SwmmNode[];
  conduits: SwmmConduit[];
  /** Keyed by link name (conduits, and also orifices/weirs kept in `otherSections`). */
  xsections: Map<string, SwmmXsection>;
  /** Node name → map coordinates. */
  coordinates: Map<string, XY>;
  /** Link name → interior vertices, in drawing order. */
  vertices: Map<string, XY[]>;
  /**
   * Every other section with data, keyed by upper-case section name, as the file's lines (comment lines
   * included, blank lines and trailing blanks dropped), in file order.
   */
  otherSections: Map<string, string[]>;
  /** EPSG code mentioned in the title (e.g. `init=EPSG:2817`), else null. */
  epsg: number | null;
  warnings: string[];
}

/** A malformed .inp; the message starts with `line N:`. */
export class SwmmParseError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'SwmmParseError';
    this.line = line;
  }
}

/** A model that cannot be written (or built) as a valid .inp. */
export class SwmmWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SwmmWriteError';
  }
}

// ---------------------------------------------------------------------------------------------------
// Sections and units

// SWMM 5.2 sections in the order the GUI writes them (the typed ones in the order this writer uses).
// Doubles as the list of sections that are not "unknown".
const SECTION_ORDER = [
  'TITLE', 'OPTIONS', 'FILES', 'EVAPORATION', 'TEMPERATURE', 'ADJUSTMENTS', 'RAINGAGES',
  'SUBCATCHMENTS', 'SUBAREAS', 'INFILTRATION', 'LID_CONTROLS', 'LID_USAGE', 'AQUIFERS', 'GROUNDWATER',
  'GWF', 'SNOWPACKS', 'JUNCTIONS', 'OUTFALLS', 'STORAGE', 'DIVIDERS', 'CONDUITS', 'PUMPS', 'ORIFICES',
  'WEIRS', 'OUTLETS', 'XSECTIONS', 'TRANSECTS', 'STREETS', 'INLETS', 'INLET_USAGE', 'LOSSES', 'CONTROLS',
  'POLLUTANTS', 'LANDUSES', 'COVERAGES', 'LOADINGS', 'BUILDUP', 'WASHOFF', 'TREATMENT', 'INFLOWS', 'DWF',
  'RDII', 'HYDROGRAPHS', 'CURVES', 'TIMESERIES', 'PATTERNS', 'REPORT', 'EVENTS', 'TAGS', 'MAP',
  'COORDINATES', 'VERTICES', 'POLYGONS', 'SYMBOLS', 'LABELS', 'BACKDROP', 'PROFILES',
] as const;
const KNOWN_SECTIONS: ReadonlySet<string> = new Set(SECTION_ORDER);

const TYPED_SECTIONS: ReadonlySet<string> = new Set([
  'TITLE', 'OPTIONS', 'JUNCTIONS', 'OUTFALLS', 'STORAGE', 'DIVIDERS', 'CONDUITS', 'XSECTIONS',
  'COORDINATES', 'VERTICES',
]);

// Links declared in sections kept verbatim: their names still count for duplicates, and their
// cross sections and vertices are still read.
const OTHER_LINK_SECTIONS = ['PUMPS', 'ORIFICES', 'WEIRS', 'OUTLETS'] as const;

const US_FLOW_UNITS = new Set(['CFS', 'GPM', 'MGD']);
const SI_FLOW_UNITS = new Set(['CMS', 'LPS', 'MLD']);
const FEET_TO_METRES = 0.3048;

/** True for US customary flow units (lengths in feet), false for SI ones (metres). */
export function usUnits(flowUnits: string): boolean {
  const u = flowUnits.toUpperCase();
  if (US_FLOW_UNITS.has(u)) return true;
  if (SI_FLOW_UNITS.has(u)) return false;
  throw new RangeError(`unknown SWMM FLOW_UNITS "${flowUnits}"`);
}

/** A model length (invert, depth, conduit length, offset, cross-section size) in metres. */
export function lengthToMetres(value: number, flowUnits: string): number {
  return usUnits(flowUnits) ? value * FEET_TO_METRES : value;
}

/** Diameter of a CIRCULAR or FORCE_MAIN section in whole millimetres; null for other shapes. */
export function conduitDiameterMm(x: SwmmXsection | undefined, flowUnits: string): number | null {
  if (!x || (x.shape !== 'CIRCULAR' && x.shape !== 'FORCE_MAIN')) return null;
  if (!(x.geom1 > 0)) return null;
  return Math.round(lengthToMetres(x.geom1, flowUnits) * 1000);
}

// ---------------------------------------------------------------------------------------------------
// Reading: lines and sections

interface Row {
  line: number;
  /** The line as written, without trailing blanks. */
  text: string;
  /** Its columns, comment removed; empty for a comment-only line. */
  tokens: string[];
}

interface Section {
  name: string;
  line: number;
  rows: Row[];
}

function stripComment(line: string): string {
  const i = line.indexOf(';');
  return i < 0 ? line : line.slice(0, i);
}

// SWMM's getTokens(): blanks separate columns; a token that opens with a double quote runs to the
// closing quote, so quoted names may hold blanks.
function tokenize(line: string): string[] {
  const tokens: string[] = [];
  const re = /"([^"]*)"?|\S+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) tokens.push(m[1] ?? m[0]);
  return tokens;
}

function sectionHeader(content: string): string | null {
  if (!content.startsWith('[')) return null;
  const end = content.indexOf(']');
  return content.slice(1, end < 0 ? undefined : end).trim().toUpperCase();
}

/** Groups the lines by section; a section named twice is merged, as SWMM does. */
function splitSections(text: string, warnings: string[]): { sections: Map<string, Section>; firstContentLine: number } {
  const sections = new Map<string, Section>();
  let current: Section | null = null;
  let firstContentLine = 0;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const textLine = raw.trimEnd();
    if (textLine.trim() === '') return;
    if (!firstContentLine) firstContentLine = line;
    const content = stripComment(textLine).trim();
    const name = sectionHeader(content);
    if (name !== null) {
      current = sections.get(name) ?? { name, line, rows: [] };
      sections.set(name, current);
      return;
    }
    const tokens = tokenize(content);
    if (current) current.rows.push({ line, text: textLine, tokens });
    else if (tokens.length) warnings.push(`line ${line}: text before the first [SECTION] header ignored`);
  });
  return { sections, firstContentLine: firstContentLine || 1 };
}

function dataRows(section: Section | undefined): Row[] {
  return section ? section.rows.filter((r) => r.tokens.length > 0) : [];
}

// ---------------------------------------------------------------------------------------------------
// Reading: columns

// SWMM's getDouble() wants the whole token to be a number; plain decimal notation is what files use.
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function requireColumns(row: Row, section: string, min: number, layout: string): void {
  if (row.tokens.length < min) {
    throw new SwmmParseError(
      row.line,
      `[${section}] row has ${row.tokens.length} column(s), needs at least ${min} (${layout})`,
    );
  }
}

function numberAt(row: Row, index: number, label: string): number {
  const token = row.tokens[index];
  if (token === undefined || !NUMBER_RE.test(token)) {
    throw new SwmmParseError(row.line, `${label} must be a number, got "${token ?? ''}"`);
  }
  return Number(token);
}

/** Optional numeric column: SWMM's default when absent, but still a number when present. */
function optionalNumberAt(row: Row, index: number, label: string, fallback: number): number {
  return index < row.tokens.length ? numberAt(row, index, label) : fallback;
}

interface Declared {
  name: string;
  line: number;
}

/** Case-insensitive name table, as SWMM's hash tables are. */
class NameTable {
  private readonly byKey = new Map<string, Declared>();

  /** Records `name`; returns the earlier declaration it clashes with, if any (the table keeps that one). */
  declare(name: string, line = 0): Declared | undefined {
    const key = name.toUpperCase();
    const previous = this.byKey.get(key);
    if (!previous) this.byKey.set(key, { name, line });
    return previous;
  }

  /** The declared spelling of `name`, if declared. */
  resolve(name: string): string | undefined {
    return this.byKey.get(name.toUpperCase())?.name;
  }
}

function declareOrThrow(table: NameTable, what: string, name: string, line: number): void {
  const previous = table.declare(name, line);
  if (previous) {
    throw new SwmmParseError(line, `duplicate ${what} name "${name}" (already declared as "${previous.name}" on line ${previous.line})`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading: sections

const EPSG_RE = /\bEPSG\s*[:=]?\s*(\d{4,6})\b/gi;

/** The EPSG code mentioned in title text; the last mention wins, so one appended by the writer rules. */
export function detectEpsg(titleLines: readonly string[]): number | null {
  let code: number | null = null;
  for (const line of titleLines) for (const m of line.matchAll(EPSG_RE)) code = Number(m[1]);
  return code;
}

function readTitle(section: Section | undefined): string[] {
  return dataRows(section).map((r) => stripComment(r.text).trim());
}

function readOptions(section: Section | undefined, warnings: string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (const row of dataRows(section)) {
    const key = row.tokens[0].toUpperCase();
    const value = row.tokens.slice(1).join(' ');
    if (!value) warnings.push(`line ${row.line}: option ${key} has no value`);
    options[key] = value;
    if (key === 'FLOW_UNITS') {
      options[key] = value.toUpperCase();
      if (!US_FLOW_UNITS.has(options[key]) && !SI_FLOW_UNITS.has(options[key])) {
        throw new SwmmParseError(row.line, `FLOW_UNITS must be one of CFS GPM MGD CMS LPS MLD, got "${value}"`);
      }
    }
    if (key === 'LINK_OFFSETS') {
      options[key] = value.toUpperCase();
      if (options[key] !== 'DEPTH' && options[key] !== 'ELEVATION') {
        throw new SwmmParseError(row.line, `LINK_OFFSETS must be DEPTH or ELEVATION, got "${value}"`);
      }
    }
  }
  // Lengths and offsets cannot be read without these two, so they are always present (SWMM's defaults).
  options.FLOW_UNITS ??= 'CFS';
  options.LINK_OFFSETS ??= 'DEPTH';
  return options;
}

// Per node kind: the section, the engine's minimum column count, and where MaxDepth sits (if fixed).
const NODE_SECTIONS: Record<SwmmNodeKind, { section: string; min: number; layout: string; maxDepthAt: number | null }> = {
  junction: { section: 'JUNCTIONS', min: 2, layout: 'Name Elevation [MaxDepth InitDepth SurDepth Aponded]', maxDepthAt: 2 },
  outfall: { section: 'OUTFALLS', min: 3, layout: 'Name Elevation Type [StageData] [Gated] [RouteTo]', maxDepthAt: null },
  storage: { section: 'STORAGE', min: 6, layout: 'Name Elevation MaxDepth InitDepth Shape Curve|Params...', maxDepthAt: 2 },
  divider: { section: 'DIVIDERS', min: 4, layout: 'Name Elevation DivertedLink Type [Params...]', maxDepthAt: null },
};

function readNode(row: Row, kind: SwmmNodeKind): SwmmNode {
  const spec = NODE_SECTIONS[kind];
  requireColumns(row, spec.section, spec.min, spec.layout);
  const invert = numberAt(row, 1, 'invert elevation');
  if (kind === 'junction') {
    // The engine reads all five junction values as numbers, defaulting absent ones to 0.
    const labels = ['max depth', 'initial depth', 'surcharge depth', 'ponded area'];
    labels.forEach((label, i) => optionalNumberAt(row, i + 2, label, 0));
  }
  if (kind === 'storage') numberAt(row, 3, 'initial depth');
  const at = spec.maxDepthAt;
  return {
    name: row.tokens[0],
    kind,
    invert,
    maxDepth: at === null ? null : optionalNumberAt(row, at, 'max depth', 0),
    rest: row.tokens.slice(at === null ? 2 : at + 1),
  };
}

function readOffset(row: Row, index: number, label: string, linkOffsets: string): number | null {
  if (row.tokens[index] === '*') {
    if (linkOffsets !== 'ELEVATION') {
      throw new SwmmParseError(row.line, `${label} "*" is only allowed with LINK_OFFSETS ELEVATION`);
    }
    return null;
  }
  return numberAt(row, index, label);
}

function readConduit(row: Row, nodes: NameTable, linkOffsets: string): SwmmConduit {
  requireColumns(row, 'CONDUITS', 7, 'Name FromNode ToNode Length Roughness InOffset OutOffset [InitFlow MaxFlow]');
  const [name, fromRaw, toRaw] = row.tokens;
  const endpoint = (raw: string, end: string): string => {
    const declared = nodes.resolve(raw);
    if (declared === undefined) throw new SwmmParseError(row.line, `conduit "${name}" ${end} node "${raw}" is not declared`);
    return declared;
  };
  const conduit: SwmmConduit = {
    name,
    from: endpoint(fromRaw, 'inlet'),
    to: endpoint(toRaw, 'outlet'),
    length: numberAt(row, 3, 'length'),
    roughness: numberAt(row, 4, 'roughness'),
    inOffset: readOffset(row, 5, 'inlet offset', linkOffsets),
    outOffset: readOffset(row, 6, 'outlet offset', linkOffsets),
    rest: row.tokens.slice(7),
  };
  optionalNumberAt(row, 7, 'initial flow', 0);
  optionalNumberAt(row, 8, 'max flow', 0);
  return conduit;
}

// Shapes defined by another object: which of the Geom1..Geom4 slots holds that object's name.
const REF_SLOT: Record<string, number> = { IRREGULAR: 0, STREET: 0, CUSTOM: 1 };

function readXsection(row: Row): SwmmXsection {
  requireColumns(row, 'XSECTIONS', 3, 'Link Shape Geom1 [Geom2 Geom3 Geom4 Barrels Culvert]');
  const shape = row.tokens[1].toUpperCase();
  const refSlot = REF_SLOT[shape];
  if (shape === 'IRREGULAR' || shape === 'STREET') {
    // The engine reads only the transect/street name for these; anything after it is kept as is.
    return { shape, geom1: 0, geom2: 0, geom3: 0, geom4: 0, barrels: 1, ref: row.tokens[2], rest: row.tokens.slice(3) };
  }
  requireColumns(row, 'XSECTIONS', 6, 'Link Shape Geom1 Geom2 Geom3 Geom4 [Barrels Culvert]');
  const geom = [0, 1, 2, 3].map((slot) => (slot === refSlot ? 0 : numberAt(row, slot + 2, `Geom${slot + 1}`)));
  return {
    shape,
    geom1: geom[0],
    geom2: geom[1],
    geom3: geom[2],
    geom4: geom[3],
    barrels: optionalNumberAt(row, 6, 'barrels', 1),
    ref: refSlot === undefined ? null : row.tokens[refSlot + 2],
    rest: row.tokens.slice(7),
  };
}

function readXY(row: Row, section: string, owner: string): XY {
  requireColumns(row, section, 3, `${owner} X-Coord Y-Coord`);
  return [numberAt(row, 1, 'X-Coord'), numberAt(row, 2, 'Y-Coord')];
}

/** "3 nodes have no coordinates: a, b, c" with the list cut short for big models. */
function summarise(names: string[], what: string): string {
  const shown = names.slice(0, 10).join(', ');
  return `${names.length} ${what}: ${shown}${names.length > 10 ? `, … (${names.length - 10} more)` : ''}`;
}

/** Parses a SWMM 5 .inp file. Throws SwmmParseError for anything SWMM itself would reject. */
export function parseSwmm(text: string): SwmmModel {
  const warnings: string[] = [];
  const { sections, firstContentLine } = splitSections(text, warnings);
  if (![...sections.keys()].some((name) => KNOWN_SECTIONS.has(name))) {
    throw new SwmmParseError(firstContentLine, 'not a SWMM .inp file (no known [SECTION] header such as [JUNCTIONS])');
  }

  const title = readTitle(sections.get('TITLE'));
  const options = readOptions(sections.get('OPTIONS'), warnings);

  const nodeNames = new NameTable();
  const nodesOf = (kind: SwmmNodeKind): SwmmNode[] =>
    dataRows(sections.get(NODE_SECTIONS[kind].section)).map((row) => {
      const node = readNode(row, kind);
      declareOrThrow(nodeNames, 'node', node.name, row.line);
      return node;
    });
  const junctions = nodesOf('junction');
  const outfalls = nodesOf('outfall');
  const storage = nodesOf('storage');
  const dividers = nodesOf('divider');

  const linkNames = new NameTable();
  const conduits = dataRows(sections.get('CONDUITS')).map((row) => {
    const conduit = readConduit(row, nodeNames, options.LINK_OFFSETS);
    declareOrThrow(linkNames, 'link', conduit.name, row.line);
    return conduit;
  });
  for (const name of OTHER_LINK_SECTIONS) {
    for (const row of dataRows(sections.get(name))) declareOrThrow(linkNames, 'link', row.tokens[0], row.line);
  }

  const xsections = new Map<string, SwmmXsection>();
  for (const row of dataRows(sections.get('XSECTIONS'))) {
    const x = readXsection(row);
    const link = linkNames.resolve(row.tokens[0]);
    if (link === undefined) warnings.push(`line ${row.line}: cross section for undeclared link "${row.tokens[0]}" ignored`);
    else if (xsections.has(link)) warnings.push(`line ${row.line}: second cross section for link "${link}" replaces the first`);
    if (link !== undefined) xsections.set(link, x);
  }

  const coordinates = new Map<string, XY>();
  for (const row of dataRows(sections.get('COORDINATES'))) {
    const xy = readXY(row, 'COORDINATES', 'Node');
    const node = nodeNames.resolve(row.tokens[0]);
    if (node === undefined) warnings.push(`line ${row.line}: coordinates for undeclared node "${row.tokens[0]}" ignored`);
    else if (coordinates.has(node)) warnings.push(`line ${row.line}: second coordinates for node "${node}" replace the first`);
    if (node !== undefined) coordinates.set(node, xy);
  }

  const vertices = new Map<string, XY[]>();
  for (const row of dataRows(sections.get('VERTICES'))) {
    const xy = readXY(row, 'VERTICES', 'Link');
    const link = linkNames.resolve(row.tokens[0]);
    if (link === undefined) warnings.push(`line ${row.line}: vertex of undeclared link "${row.tokens[0]}" ignored`);
    else vertices.set(link, [...(vertices.get(link) ?? []), xy]);
  }

  const otherSections = new Map<string, string[]>();
  for (const section of sections.values()) {
    if (TYPED_SECTIONS.has(section.name)) continue;
    if (!KNOWN_SECTIONS.has(section.name)) {
      warnings.push(`line ${section.line}: unknown section [${section.name}] kept verbatim`);
    }
    // Sections holding only column-header comments carry nothing; dropping them keeps writes lean.
    if (dataRows(section).length) otherSections.set(section.name, section.rows.map((r) => r.text));
  }

  const allNodes = [...junctions, ...outfalls, ...storage, ...dividers];
  const unplaced = allNodes.filter((n) => !coordinates.has(n.name)).map((n) => n.name);
  if (unplaced.length) warnings.push(summarise(unplaced, 'node(s) have no [COORDINATES]'));
  const noXsection = conduits.filter((c) => !xsections.has(c.name)).map((c) => c.name);
  if (noXsection.length) warnings.push(summarise(noXsection, 'conduit(s) have no [XSECTIONS] entry'));

  return {
    title,
    options,
    junctions,
    outfalls,
    storage,
    dividers,
    conduits,
    xsections,
    coordinates,
    vertices,
    otherSections,
    epsg: detectEpsg(title),
    warnings,
  };
}

// ---------------------------------------------------------------------------------------------------
// Writing

interface Column {
  title: string;
  width: number;
}

const col = (title: string, width = 10): Column => ({ title, width });

// Column headers as the SWMM 5.2 GUI writes them.
const COLUMNS = {
  OPTIONS: [col('Option', 20), col('Value', 0)],
  JUNCTIONS: [col('Name', 16), col('Elevation'), col('MaxDepth'), col('InitDepth'), col('SurDepth'), col('Aponded')],
  OUTFALLS: [col('Name', 16), col('Elevation'), col('Type'), col('Stage Data', 16), col('Gated', 8), col('Route To', 16)],
  STORAGE: [
    col('Name', 16), col('Elev.'), col('MaxDepth'), col('InitDepth'), col('Shape'), col('Curve Name/Params', 28),
    col('SurDepth', 8), col('Fevap', 8), col('Psi', 8), col('Ksat', 8), col('IMD', 8),
  ],
  DIVIDERS: [col('Name', 16), col('Elevation'), col('Diverted Link', 16), col('Type'), col('Parameters')],
  CONDUITS: [
    col('Name', 16), col('From Node', 16), col('To Node', 16), col('Length'), col('Roughness'),
    col('InOffset'), col('OutOffset'), col('InitFlow'), col('MaxFlow'),
  ],
  XSECTIONS: [
    col('Link', 16), col('Shape', 12), col('Geom1', 16), col('Geom2'), col('Geom3'), col('Geom4'),
    col('Barrels'), col('Culvert'),
  ],
  COORDINATES: [col('Node', 16), col('X-Coord', 18), col('Y-Coord', 18)],
  VERTICES: [col('Link', 16), col('X-Coord', 18), col('Y-Coord', 18)],
} satisfies Record<string, Column[]>;

/**
 * `;;` header (and dashes) plus the rows, each column padded to its widest cell so the file reads as a
 * table in any editor. Columns beyond the named ones get no title.
 */
function table(columns: readonly Column[], rows: readonly string[][], dashes = true): string[] {
  const count = Math.max(columns.length, ...rows.map((r) => r.length));
  const widths = Array.from({ length: count }, (_, i) =>
    Math.max(columns[i]?.width ?? 10, (i === 0 ? 2 : 0) + (columns[i]?.title.length ?? 0), ...rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' ').trimEnd();
  const out = [line(columns.map((c, i) => (i === 0 ? ';;' : '') + c.title))];
  if (dashes) out.push(line(columns.map((_, i) => (i === 0 ? ';;' : '') + '-'.repeat(widths[i] - (i === 0 ? 2 : 0)))));
  return [...out, ...rows.map(line)];
}

// A name or keyword must survive tokenising: no blanks, no comment start, no quotes, and it must not
// read as a section header.
function token(value: string, what: string): string {
  if (value === '' || /[\s;"]/.test(value) || value.startsWith('[')) {
    throw new SwmmWriteError(`${what} "${value}" cannot be written: it must be non-empty without blanks, ";", '"' or a leading "["`);
  }
  return value;
}

function num(value: number, what: string): string {
  if (!Number.isFinite(value)) throw new SwmmWriteError(`${what} must be a finite number, got ${value}`);
  return String(value);
}

function textLine(value: string, what: string): string {
  if (/[;\r\n]/.test(value) || value.trimStart().startsWith('[')) {
    throw new SwmmWriteError(`${what} "${value}" cannot be written: no ";", line breaks or leading "["`);
  }
  return value;
}

function writeTitle(model: SwmmModel): string[] {
  const lines = model.title.map((l) => textLine(l.trim(), 'title line')).filter((l) => l !== '');
  // The CRS travels in the title (the SWMM GUI has nowhere else for it); add it if the text lacks it.
  if (model.epsg !== null && detectEpsg(lines) !== model.epsg) lines.push(`EPSG:${model.epsg}`);
  return lines.length ? [';;Project Title/Notes', ...lines] : [];
}

function writeOptions(model: SwmmModel): string[] {
  const rows = Object.entries(model.options).map(([k, v]) => [token(k, 'option name'), textLine(v, `option ${k}`)]);
  return rows.length ? table(COLUMNS.OPTIONS, rows, false) : [];
}

function nodeRow(node: SwmmNode, kind: SwmmNodeKind): string[] {
  if (node.kind !== kind) throw new SwmmWriteError(`node "${node.name}" of kind ${node.kind} is listed with the ${kind} nodes`);
  const head = [token(node.name, 'node name'), num(node.invert, `invert of node ${node.name}`)];
  const rest = node.rest.map((t) => token(t, `column of node ${node.name}`));
  const maxDepth = () => num(node.maxDepth ?? 0, `max depth of node ${node.name}`);
  if (kind === 'junction') return [...head, maxDepth(), ...rest];
  if (kind === 'storage') {
    // One cell for the shape's parameters (a curve name, or three numbers) keeps SurDepth, Fevap and
    // the seepage columns under their headers whatever the shape.
    const count = rest[1]?.toUpperCase() === 'TABULAR' ? 1 : 3;
    return [...head, maxDepth(), ...rest.slice(0, 2), rest.slice(2, 2 + count).join(' '), ...rest.slice(2 + count)];
  }
  // FREE and NORMAL outfalls have no stage data; a blank cell keeps Gated under its header.
  const type = rest[0]?.toUpperCase();
  if (kind === 'outfall' && (type === 'FREE' || type === 'NORMAL')) return [...head, rest[0], '', ...rest.slice(1)];
  return [...head, ...rest];
}

function writeNodes(nodes: SwmmNode[], kind: SwmmNodeKind): string[] {
  const section = NODE_SECTIONS[kind].section as keyof typeof COLUMNS;
  return nodes.length ? table(COLUMNS[section], nodes.map((n) => nodeRow(n, kind))) : [];
}

function writeConduits(model: SwmmModel, nodes: NameTable): string[] {
  const links = new NameTable();
  const offset = (value: number | null, c: SwmmConduit, end: string): string => {
    if (value !== null) return num(value, `${end} offset of conduit ${c.name}`);
    if (model.options.LINK_OFFSETS?.toUpperCase() !== 'ELEVATION') {
      throw new SwmmWriteError(`conduit ${c.name}: a missing ${end} offset ("*") needs LINK_OFFSETS ELEVATION`);
    }
    return '*';
  };
  const endpoint = (name: string, c: SwmmConduit): string => {
    if (nodes.resolve(name) === undefined) throw new SwmmWriteError(`conduit ${c.name} references undeclared node "${name}"`);
    return token(name, 'node name');
  };
  const rows = model.conduits.map((c) => [
    unique(links, token(c.name, 'conduit name'), 'link'),
    endpoint(c.from, c),
    endpoint(c.to, c),
    num(c.length, `length of conduit ${c.name}`),
    num(c.roughness, `roughness of conduit ${c.name}`),
    offset(c.inOffset, c, 'inlet'),
    offset(c.outOffset, c, 'outlet'),
    ...c.rest.map((t) => token(t, `column of conduit ${c.name}`)),
  ]);
  return rows.length ? table(COLUMNS.CONDUITS, rows) : [];
}

function unique(table: NameTable, name: string, what: string): string {
  const previous = table.declare(name);
  if (previous) throw new SwmmWriteError(`duplicate ${what} name "${name}" (clashes with "${previous.name}")`);
  return name;
}

function xsectionRow(link: string, x: SwmmXsection): string[] {
  const head = [token(link, 'link name'), token(x.shape, `shape of link ${link}`)];
  const rest = x.rest.map((t) => token(t, `column of cross section ${link}`));
  const refSlot = REF_SLOT[x.shape.toUpperCase()];
  const ref = () => token(x.ref ?? '', `${x.shape} reference of link ${link}`);
  if (refSlot === 0) return [...head, ref(), ...rest];
  const geoms = [x.geom1, x.geom2, x.geom3, x.geom4].map((g, slot) =>
    slot === refSlot ? ref() : num(g, `Geom${slot + 1} of link ${link}`),
  );
  return [...head, ...geoms, num(x.barrels, `barrels of link ${link}`), ...rest];
}

function writeXY(map: Map<string, XY[]>, columns: readonly Column[], what: string): string[] {
  const rows: string[][] = [];
  for (const [name, points] of map) {
    for (const [x, y] of points) rows.push([token(name, `${what} name`), num(x, `X of ${name}`), num(y, `Y of ${name}`)]);
  }
  return rows.length ? table(columns, rows) : [];
}

function writeOther(name: string, lines: string[]): string[] {
  const checked = lines.map((l) => {
    if (/[\r\n]/.test(l) || stripComment(l).trim().startsWith('[')) {
      throw new SwmmWriteError(`[${name}] line "${l}" would break the section structure`);
    }
    return l.trimEnd();
  });
  return checked.some((l) => tokenize(stripComment(l)).length) ? checked : [];
}

/** Writes a model as a SWMM 5 .inp text: GUI-style headers, padded columns, only non-empty sections. */
export function writeSwmm(model: SwmmModel): string {
  for (const name of model.otherSections.keys()) {
    if (TYPED_SECTIONS.has(name)) throw new SwmmWriteError(`[${name}] must be given through the typed model fields, not otherSections`);
  }
  const nodeNames = new NameTable();
  for (const n of [...model.junctions, ...model.outfalls, ...model.storage, ...model.dividers]) unique(nodeNames, n.name, 'node');

  const typed: Record<string, () => string[]> = {
    TITLE: () => writeTitle(model),
    OPTIONS: () => writeOptions(model),
    JUNCTIONS: () => writeNodes(model.junctions, 'junction'),
    OUTFALLS: () => writeNodes(model.outfalls, 'outfall'),
    STORAGE: () => writeNodes(model.storage, 'storage'),
    DIVIDERS: () => writeNodes(model.dividers, 'divider'),
    CONDUITS: () => writeConduits(model, nodeNames),
    XSECTIONS: () => {
      const rows = [...model.xsections].map(([link, x]) => xsectionRow(link, x));
      return rows.length ? table(COLUMNS.XSECTIONS, rows) : [];
    },
    COORDINATES: () => {
      const asPaths = new Map<string, XY[]>([...model.coordinates].map(([node, xy]) => [node, [xy]]));
      return writeXY(asPaths, COLUMNS.COORDINATES, 'node');
    },
    VERTICES: () => writeXY(model.vertices, COLUMNS.VERTICES, 'link'),
  };
  const unknown = [...model.otherSections.keys()].filter((name) => !KNOWN_SECTIONS.has(name));
  const blocks: string[] = [];
  for (const name of [...SECTION_ORDER, ...unknown]) {
    const other = model.otherSections.get(name);
    const lines = typed[name]?.() ?? (other ? writeOther(name, other) : []);
    if (lines.length) blocks.push([`[${name}]`, ...lines].join('\n'));
  }
  return blocks.join('\n\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------
// Building a model from a traced network (export)

export interface SwmmNetworkNode {
  name: string;
  kind: 'junction' | 'outfall' | 'storage';
  invert_m: number | null;
  max_depth_m: number | null;
  x: number;
  y: number;
}

export interface SwmmNetworkLink {
  name: string;
  from: string;
  to: string;
  length_m: number;
  diameter_mm: number | null;
  /** Manning's n; 0.013 (concrete) when absent. */
  roughness?: number;
  in_offset_m?: number;
  out_offset_m?: number;
  vertices: XY[];
}

export interface SwmmNetwork {
  title: string;
  epsg: number | null;
  nodes: SwmmNetworkNode[];
  links: SwmmNetworkLink[];
}

const DEFAULT_MANNING_N = 0.013;
const DEFAULT_DIAMETER_M = 0.3;

function titleLines(title: string): string[] {
  // A `;` would start a comment and a leading `[` a section, so neither may reach the file.
  return title
    .split(/\r\n|\r|\n/)
    .map((l) => l.replace(/;/g, ',').replace(/^\s*\[+/, '').trim())
    .filter((l) => l !== '');
}

function exportNode(n: SwmmNetworkNode, warnings: string[]): SwmmNode {
  if (n.invert_m === null) warnings.push(`node ${n.name} has no invert elevation; written as 0`);
  const invert = n.invert_m ?? 0;
  // Junction MaxDepth 0 tells SWMM to use the crown of the highest connecting conduit, so an unknown
  // depth is safe there; a storage unit needs a real one.
  if (n.kind === 'storage' && n.max_depth_m === null) warnings.push(`storage ${n.name} has no max depth; written as 0`);
  switch (n.kind) {
    case 'junction':
      return { name: n.name, kind: 'junction', invert, maxDepth: n.max_depth_m ?? 0, rest: ['0', '0', '0'] };
    case 'outfall':
      return { name: n.name, kind: 'outfall', invert, maxDepth: null, rest: ['FREE', 'NO'] };
    case 'storage':
      // InitDepth 0, a FUNCTIONAL area curve with A=B=C=0 (SWMM then uses MIN_SURFAREA), SurDepth and Fevap 0.
      return { name: n.name, kind: 'storage', invert, maxDepth: n.max_depth_m ?? 0, rest: ['0', 'FUNCTIONAL', '0', '0', '0', '0', '0'] };
  }
}

/**
 * An SI SWMM model (FLOW_UNITS CMS, LINK_OFFSETS DEPTH, circular pipes) of a traced subnetwork, ready
 * for writeSwmm(). Throws SwmmWriteError for duplicate names or links to nodes not in the network.
 */
export function buildSwmmModel(network: SwmmNetwork): SwmmModel {
  const warnings: string[] = [];
  const nodeNames = new NameTable();
  const linkNames = new NameTable();
  const model: SwmmModel = {
    title: titleLines(network.title),
    options: { FLOW_UNITS: 'CMS', LINK_OFFSETS: 'DEPTH' },
    junctions: [],
    outfalls: [],
    storage: [],
    dividers: [],
    conduits: [],
    xsections: new Map(),
    coordinates: new Map(),
    vertices: new Map(),
    otherSections: new Map(),
    epsg: network.epsg,
    warnings,
  };
  if (network.epsg !== null && detectEpsg(model.title) !== network.epsg) model.title.push(`EPSG:${network.epsg}`);

  for (const n of network.nodes) {
    unique(nodeNames, n.name, 'node');
    const node = exportNode(n, warnings);
    ({ junction: model.junctions, outfall: model.outfalls, storage: model.storage } as const)[n.kind].push(node);
    if (Number.isFinite(n.x) && Number.isFinite(n.y)) model.coordinates.set(n.name, [n.x, n.y]);
    else warnings.push(`node ${n.name} has no valid coordinates`);
  }

  for (const l of network.links) {
    unique(linkNames, l.name, 'link');
    const endpoint = (name: string) => {
      const declared = nodeNames.resolve(name);
      if (declared === undefined) throw new SwmmWriteError(`link ${l.name} references node "${name}" that is not in the network`);
      return declared;
    };
    if (!(l.length_m > 0)) warnings.push(`link ${l.name} has length ${l.length_m}; SWMM requires a positive length`);
    model.conduits.push({
      name: l.name,
      from: endpoint(l.from),
      to: endpoint(l.to),
      length: l.length_m,
      roughness: l.roughness ?? DEFAULT_MANNING_N,
      inOffset: l.in_offset_m ?? 0,
      outOffset: l.out_offset_m ?? 0,
      rest: ['0', '0'],
    });
    if (l.diameter_mm === null) warnings.push(`link ${l.name} has no diameter; written as ${DEFAULT_DIAMETER_M * 1000} mm`);
    const diameter = l.diameter_mm === null ? DEFAULT_DIAMETER_M : l.diameter_mm / 1000;
    model.xsections.set(l.name, { shape: 'CIRCULAR', geom1: diameter, geom2: 0, geom3: 0, geom4: 0, barrels: 1, ref: null, rest: [] });
    if (l.vertices.length) model.vertices.set(l.name, l.vertices.map(([x, y]) => [x, y]));
  }
  return model;
}
