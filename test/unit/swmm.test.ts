import { describe, expect, it } from 'vitest';
import {
  buildSwmmModel,
  conduitDiameterMm,
  lengthToMetres,
  parseSwmm,
  SwmmParseError,
  SwmmWriteError,
  usUnits,
  writeSwmm,
  type SwmmModel,
  type SwmmNetwork,
} from '../../server/importers/swmm.ts';
import { swmmFile, type SwmmFileOptions } from '../helpers/swmm-files.ts';

/**
 * An independent, deliberately naive reading of a section: the whitespace-split data lines between
 * `[NAME]` (any case) and the next header, skipping blank lines and lines that start with `;`.
 */
function naiveRows(text: string, section: string): string[][] {
  const rows: string[][] = [];
  let current = '';
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t.startsWith('[')) current = t.slice(1, t.indexOf(']')).toUpperCase();
    else if (current === section && t !== '' && !t.startsWith(';')) rows.push(t.split(/\s+/));
  }
  return rows;
}

function naiveCounts(text: string) {
  const count = (s: string) => naiveRows(text, s).length;
  return {
    junctions: count('JUNCTIONS'),
    outfalls: count('OUTFALLS'),
    storage: count('STORAGE'),
    conduits: count('CONDUITS'),
    xsections: count('XSECTIONS'),
    coordinates: count('COORDINATES'),
    vertexLinks: new Set(naiveRows(text, 'VERTICES').map((r) => r[0])).size,
    vertexPoints: count('VERTICES'),
  };
}

function modelCounts(m: SwmmModel) {
  return {
    junctions: m.junctions.length,
    outfalls: m.outfalls.length,
    storage: m.storage.length,
    conduits: m.conduits.length,
    xsections: m.xsections.size,
    coordinates: m.coordinates.size,
    vertexLinks: m.vertices.size,
    vertexPoints: [...m.vertices.values()].reduce((sum, points) => sum + points.length, 0),
  };
}

// Two generated models in the shapes SWMM tools write: a utility model in a US state-plane CRS (storage
// units, bent conduits, mixed-case [Polygons]) and a tutorial-style one with local coordinates and no CRS.
const STATE_PLANE: SwmmFileOptions = { flavour: 'state-plane', trunk: 12, branches: 3, perBranch: 4, storageEvery: 4, bentConduits: 2 };
const LOCAL: SwmmFileOptions = { flavour: 'local', trunk: 8, branches: 2, perBranch: 3, storageEvery: 0, bentConduits: 1 };
const statePlane = swmmFile(STATE_PLANE);
const local = swmmFile(LOCAL);

// Counts from the options alone: every node has coordinates; the network is a tree draining to one outfall.
function expectedCounts(o: SwmmFileOptions) {
  const storage = o.storageEvery ? Math.floor(o.trunk / o.storageEvery) : 0;
  const nodes = o.trunk + o.branches * o.perBranch + 1;
  return {
    junctions: nodes - 1 - storage, outfalls: 1, storage, conduits: nodes - 1, xsections: nodes - 1, coordinates: nodes,
    vertexLinks: o.bentConduits, vertexPoints: Array.from({ length: o.bentConduits }, (_, k) => (k % 2) + 1).reduce((s, n) => s + n, 0),
  };
}

const FIXTURES = [
  { file: 'state-plane', epsg: 2817, text: statePlane.text, counts: expectedCounts(STATE_PLANE) },
  { file: 'local', epsg: null, text: local.text, counts: expectedCounts(LOCAL) },
] as const;

describe('parseSwmm on generated models', () => {
  it('the generated shapes are what the options say', () => {
    expect(expectedCounts(STATE_PLANE)).toEqual({ junctions: 21, outfalls: 1, storage: 3, conduits: 24, xsections: 24, coordinates: 25, vertexLinks: 2, vertexPoints: 3 });
    expect(expectedCounts(LOCAL)).toEqual({ junctions: 14, outfalls: 1, storage: 0, conduits: 14, xsections: 14, coordinates: 15, vertexLinks: 1, vertexPoints: 1 });
  });

  describe.each(FIXTURES)('$file', ({ text, epsg, counts }) => {
    const model = parseSwmm(text);
    it('finds every junction, outfall, storage unit, conduit, cross section, coordinate and vertex', () => {
      expect(modelCounts(model)).toEqual(counts);
      expect(modelCounts(model)).toEqual(naiveCounts(text));
      expect(model.dividers).toEqual([]);
    });

    it('reads the names in file order', () => {
      expect(model.junctions.map((n) => n.name)).toEqual(naiveRows(text, 'JUNCTIONS').map((r) => r[0]));
      expect(model.conduits.map((c) => c.name)).toEqual(naiveRows(text, 'CONDUITS').map((r) => r[0]));
    });

    it(`detects EPSG ${epsg} from the title`, () => {
      expect(model.epsg).toBe(epsg);
    });

    it('places every node and gives every conduit a cross section, without warnings', () => {
      expect(model.warnings).toEqual([]);
      for (const n of [...model.junctions, ...model.outfalls, ...model.storage]) expect(model.coordinates.has(n.name)).toBe(true);
      for (const c of model.conduits) expect(model.xsections.has(c.name)).toBe(true);
    });

    it('round-trips through writeSwmm to a deep-equal model', () => {
      const written = writeSwmm(model);
      const again = parseSwmm(written);
      expect(again).toEqual(model);
      // Spot checks that toEqual really compares the Maps' contents.
      expect([...again.coordinates]).toEqual([...model.coordinates]);
      expect([...again.vertices]).toEqual([...model.vertices]);
      expect([...again.xsections]).toEqual([...model.xsections]);
      // Writing is stable: a written model writes back to the same text.
      expect(writeSwmm(again)).toBe(written);
    });
  });

  it('reads the state-plane model values and US units', () => {
    const m = parseSwmm(statePlane.text);
    const t = statePlane.truth;
    expect(m.title).toEqual(['Model with state plane coordinates: init=EPSG:2817']);
    expect(m.options.FLOW_UNITS).toBe('MGD');
    expect(m.options.LINK_OFFSETS).toBe('DEPTH');
    expect(m.options.ROUTING_STEP).toBe('0:00:05');

    // Every record as generated, in file order.
    expect(m.junctions).toEqual(t.junctions);
    expect(m.outfalls).toEqual(t.outfalls);
    expect(m.storage).toEqual(t.storage);
    expect(m.conduits).toEqual(t.conduits);
    expect([...m.xsections]).toEqual([...t.xsections]);
    expect([...m.coordinates]).toEqual([...t.coordinates]);
    expect([...m.vertices]).toEqual([...t.vertices]);
    // Spot checks written out, so a generator that drifts with the parser still fails here.
    expect(m.junctions[1]).toEqual({ name: 'J1-002', kind: 'junction', invert: 987.25, maxDepth: 4.25, rest: ['0', '0', '358868.014'] });
    expect(m.storage[0]).toEqual({ name: 'J1-004', kind: 'storage', invert: 981.75, maxDepth: 10.5, rest: ['0', 'FUNCTIONAL', '15', '0', '0', '0', '0'] });
    expect(m.outfalls[0]).toEqual({ name: 'OF-001', kind: 'outfall', invert: 957, maxDepth: null, rest: ['FREE', 'NO'] });
    expect(m.conduits[1]).toMatchObject({ name: 'J1-002.1', from: 'J1-002', to: 'J1-003', roughness: 0.014, inOffset: 1, outOffset: 0, rest: ['0', '0'] });
    expect(m.conduits[2]).toMatchObject({ inOffset: 0, outOffset: 0.5 });
    const x = m.xsections.get('J1-001.1');
    expect(x).toEqual({ shape: 'CIRCULAR', geom1: 0.666667, geom2: 0, geom3: 0, geom4: 0, barrels: 1, ref: null, rest: [] });
    expect(conduitDiameterMm(x, m.options.FLOW_UNITS)).toBe(203); // 8-inch pipe
    expect(m.vertices.get('J1-001.1')).toHaveLength(1);
    expect(m.vertices.get('J1-002.1')).toHaveLength(2);
  });

  it('keeps the other sections verbatim and drops the empty ones', () => {
    const m = parseSwmm(local.text);
    expect(m.otherSections.get('TIMESERIES')).toContain(';RAINFALL');
    expect(m.otherSections.get('TIMESERIES')).toContain('TS1                         1:00       0.25');
    expect(m.otherSections.get('TIMESERIES')?.filter((l) => !l.startsWith(';;'))).toEqual(local.truth.timeseriesRows);
    expect(m.otherSections.get('POLYGONS')?.filter((l) => !l.startsWith(';'))).toEqual(local.truth.polygonRows);
    expect(local.truth.polygonRows).toHaveLength(LOCAL.branches * 3);
    // [LOSSES] and [TAGS] hold nothing but column headers.
    expect(m.otherSections.has('LOSSES')).toBe(false);
    expect(m.otherSections.has('TAGS')).toBe(false);
    expect(conduitDiameterMm(m.xsections.get('4'), m.options.FLOW_UNITS)).toBe(457); // 1.5 ft

    const sp = parseSwmm(statePlane.text);
    expect(statePlane.text).toContain('\n[Polygons]\n');
    expect(sp.otherSections.get('POLYGONS')?.[2]).toBe(statePlane.truth.polygonRows[0]);
    expect(sp.otherSections.get('LOSSES')?.filter((l) => !l.startsWith(';'))).toHaveLength(3);
  });
});

// A small valid model; tests below swap single lines to break it.
const MINI = [
  '[TITLE]',
  'mini model',
  '[OPTIONS]',
  'FLOW_UNITS CMS',
  '[JUNCTIONS]',
  'J1 10 2',
  'J2 9.5 2',
  '[OUTFALLS]',
  'O1 9 FREE',
  '[CONDUITS]',
  'C1 J1 J2 100 0.013 0 0',
  'C2 J2 O1 80 0.013 0 0',
  '[XSECTIONS]',
  'C1 CIRCULAR 0.5 0 0 0',
  'C2 CIRCULAR 0.6 0 0 0',
  '[COORDINATES]',
  'J1 0 0',
  'J2 100 0',
  'O1 180 0',
];

/** MINI with `line` (1-based) replaced by `by` (or `by` inserted after it). */
function miniWith(line: number, by: string, mode: 'replace' | 'insert' = 'replace'): string {
  const lines = [...MINI];
  lines.splice(mode === 'replace' ? line - 1 : line, mode === 'replace' ? 1 : 0, by);
  return lines.join('\n');
}
const at = (row: string) => MINI.indexOf(row) + 1;

describe('parseSwmm rules', () => {
  it('parses the small model', () => {
    const m = parseSwmm(MINI.join('\n'));
    expect(modelCounts(m)).toEqual({ junctions: 2, outfalls: 1, storage: 0, conduits: 2, xsections: 2, coordinates: 3, vertexLinks: 0, vertexPoints: 0 });
    expect(m.options).toEqual({ FLOW_UNITS: 'CMS', LINK_OFFSETS: 'DEPTH' });
    expect(m.warnings).toEqual([]);
  });

  it('matches names case-insensitively and keeps the declared spelling', () => {
    let text = miniWith(at('C1 J1 J2 100 0.013 0 0'), 'C1 j1 J2 100 0.013 0 0');
    text = text.replace('C2 J2 O1', 'C2 J2 o1').replace(/^J2 100 0$/m, 'j2 100 0').replace('C1 CIRCULAR', 'c1 CIRCULAR');
    const m = parseSwmm(`${text}\n[vertices]\nc2 140 5`);
    expect(m.conduits.map((c) => [c.from, c.to])).toEqual([['J1', 'J2'], ['J2', 'O1']]);
    expect([...m.coordinates.keys()]).toEqual(['J1', 'J2', 'O1']);
    expect([...m.xsections.keys()]).toEqual(['C1', 'C2']);
    expect(m.vertices.get('C2')).toEqual([[140, 5]]);
    expect(m.warnings).toEqual([]);
  });

  it('ignores comments, ;; header lines, blank lines, CRLF and a BOM; section names in any case', () => {
    const text = [
      '\uFEFF;; exported by some tool',
      '[title]',
      ';;Project Title/Notes',
      'commented title ; not part of it',
      '',
      '[Junctions]   ; the nodes',
      ';;Name  Elev  MaxDepth',
      ';;----  ----  --------',
      'J1      10    2      ; first',
      '   ',
      'J2      9     2',
      '[Outfalls]',
      'O1 8 FREE NO',
      '[CONDUITS]',
      ';C9 J1 O1 1 1 0 0  (commented out)',
      'C1 J1 J2 100 0.013 0 0;no space before the comment',
      'C2 J2 O1 100 0.013 0 0',
      '[XSECTIONS]',
      'C1 CIRCULAR 0.5 0 0 0',
      'C2 CIRCULAR 0.5 0 0 0 1 ; barrels',
      '[COORDINATES]',
      'J1 0 0',
      'J2 1 1',
      'O1 2 2',
    ].join('\r\n');
    const m = parseSwmm(text);
    expect(m.title).toEqual(['commented title']);
    expect(m.junctions.map((n) => [n.name, n.invert, n.maxDepth, n.rest])).toEqual([['J1', 10, 2, []], ['J2', 9, 2, []]]);
    expect(m.conduits.map((c) => c.name)).toEqual(['C1', 'C2']);
    expect(m.conduits[0].rest).toEqual([]);
    expect(m.xsections.get('C2')?.barrels).toBe(1);
    expect(m.warnings).toEqual([]);
  });

  it('keeps LINK_OFFSETS ELEVATION and its "*" offsets', () => {
    const text = miniWith(at('FLOW_UNITS CMS'), 'LINK_OFFSETS elevation', 'insert').replace('C2 J2 O1 80 0.013 0 0', 'C2 J2 O1 80 0.013 * 9.1');
    const m = parseSwmm(text);
    expect(m.options.LINK_OFFSETS).toBe('ELEVATION');
    expect(m.conduits[1]).toMatchObject({ inOffset: null, outOffset: 9.1 });
    expect(parseSwmm(writeSwmm(m))).toEqual(m);
  });

  it('reads parameter-less and object-defined cross sections and round-trips them', () => {
    const text = [
      ...MINI.slice(0, at('C1 CIRCULAR 0.5 0 0 0') - 1),
      'C1 IRREGULAR T1',
      'C2 CUSTOM 1.2 ShapeCurve 0 0 2',
      ...MINI.slice(at('C2 CIRCULAR 0.6 0 0 0')),
    ].join('\n');
    const m = parseSwmm(text);
    expect(m.xsections.get('C1')).toEqual({ shape: 'IRREGULAR', geom1: 0, geom2: 0, geom3: 0, geom4: 0, barrels: 1, ref: 'T1', rest: [] });
    expect(m.xsections.get('C2')).toEqual({ shape: 'CUSTOM', geom1: 1.2, geom2: 0, geom3: 0, geom4: 0, barrels: 2, ref: 'ShapeCurve', rest: [] });
    expect(conduitDiameterMm(m.xsections.get('C2'), 'CMS')).toBeNull();
    expect(parseSwmm(writeSwmm(m))).toEqual(m);
  });

  it('reports non-fatal oddities as warnings', () => {
    let text = MINI.filter((l) => l !== 'J2 100 0' && l !== 'C2 CIRCULAR 0.6 0 0 0').join('\n');
    text += '\n[FANCY_EXTRAS]\nsomething 1 2\n[COORDINATES]\nGHOST 1 1';
    const m = parseSwmm(text);
    expect(m.warnings).toEqual([
      expect.stringMatching(/coordinates for undeclared node "GHOST"/),
      expect.stringMatching(/unknown section \[FANCY_EXTRAS\]/),
      '1 node(s) have no [COORDINATES]: J2',
      '1 conduit(s) have no [XSECTIONS] entry: C2',
    ]);
    // Unknown sections still travel with the model.
    expect(m.otherSections.get('FANCY_EXTRAS')).toEqual(['something 1 2']);
    expect(writeSwmm(m)).toContain('[FANCY_EXTRAS]\nsomething 1 2');
  });

  it('detects EPSG codes written in different ways', () => {
    const withTitle = (t: string) => parseSwmm(miniWith(at('mini model'), t)).epsg;
    expect(withTitle('EPSG:4547')).toBe(4547);
    expect(withTitle('proj: +init=epsg:2817 +units=us-ft')).toBe(2817);
    expect(withTitle('CRS EPSG 32650')).toBe(32650);
    expect(withTitle('built in 2024, no CRS')).toBeNull();
  });
});

describe('SwmmParseError', () => {
  const cases: [string, string, number, RegExp][] = [
    ['plain text', 'hello world\nnot a model', 1, /not a SWMM \.inp file/],
    ['an empty file', '', 1, /not a SWMM \.inp file/],
    ['only unknown sections', '\n\n[WIDGETS]\nw1 2', 3, /not a SWMM \.inp file/],
    ['a conduit to an undeclared node', miniWith(at('C2 J2 O1 80 0.013 0 0'), 'C2 J2 O9 80 0.013 0 0'), at('C2 J2 O1 80 0.013 0 0'), /outlet node "O9" is not declared/],
    ['a short JUNCTIONS row', miniWith(at('J2 9.5 2'), 'J2'), at('J2 9.5 2'), /\[JUNCTIONS\] row has 1 column/],
    ['a short OUTFALLS row', miniWith(at('O1 9 FREE'), 'O1 9'), at('O1 9 FREE'), /\[OUTFALLS\] row has 2 column/],
    ['a short STORAGE row', miniWith(at('O1 9 FREE'), '[STORAGE]\nS1 5 2 0 FUNCTIONAL', 'insert'), at('O1 9 FREE') + 2, /\[STORAGE\] row has 5 column/],
    ['a short CONDUITS row', miniWith(at('C1 J1 J2 100 0.013 0 0'), 'C1 J1 J2 100 0.013 0'), at('C1 J1 J2 100 0.013 0 0'), /\[CONDUITS\] row has 6 column/],
    ['a short XSECTIONS row', miniWith(at('C1 CIRCULAR 0.5 0 0 0'), 'C1 CIRCULAR'), at('C1 CIRCULAR 0.5 0 0 0'), /\[XSECTIONS\] row has 2 column/],
    ['a CIRCULAR without Geom2..4', miniWith(at('C1 CIRCULAR 0.5 0 0 0'), 'C1 CIRCULAR 0.5'), at('C1 CIRCULAR 0.5 0 0 0'), /\[XSECTIONS\] row has 3 column/],
    ['a short COORDINATES row', miniWith(at('J2 100 0'), 'J2 100'), at('J2 100 0'), /\[COORDINATES\] row has 2 column/],
    ['a short VERTICES row', `${MINI.join('\n')}\n[VERTICES]\nC1 50`, MINI.length + 2, /\[VERTICES\] row has 2 column/],
    ['a non-numeric invert', miniWith(at('J2 9.5 2'), 'J2 nine 2'), at('J2 9.5 2'), /invert elevation must be a number, got "nine"/],
    ['a non-numeric ponded area', miniWith(at('J2 9.5 2'), 'J2 9.5 2 0 0 big'), at('J2 9.5 2'), /ponded area must be a number/],
    ['a non-numeric length', miniWith(at('C1 J1 J2 100 0.013 0 0'), 'C1 J1 J2 1O0 0.013 0 0'), at('C1 J1 J2 100 0.013 0 0'), /length must be a number, got "1O0"/],
    ['a non-numeric diameter', miniWith(at('C1 CIRCULAR 0.5 0 0 0'), 'C1 CIRCULAR 0,5 0 0 0'), at('C1 CIRCULAR 0.5 0 0 0'), /Geom1 must be a number/],
    ['a non-numeric coordinate', miniWith(at('J2 100 0'), 'J2 100 north'), at('J2 100 0'), /Y-Coord must be a number/],
    ['a "*" offset with DEPTH offsets', miniWith(at('C1 J1 J2 100 0.013 0 0'), 'C1 J1 J2 100 0.013 * 0'), at('C1 J1 J2 100 0.013 0 0'), /only allowed with LINK_OFFSETS ELEVATION/],
    ['a duplicate node across sections, in another case', miniWith(at('O1 9 FREE'), 'j1 9 FREE'), at('O1 9 FREE'), /duplicate node name "j1" \(already declared as "J1" on line 6\)/],
    ['a duplicate link', miniWith(at('C2 J2 O1 80 0.013 0 0'), 'c1 J2 O1 80 0.013 0 0'), at('C2 J2 O1 80 0.013 0 0'), /duplicate link name "c1"/],
    ['a weir named like a conduit', `${MINI.join('\n')}\n[WEIRS]\nC2 J2 O1 TRANSVERSE 0 3.33`, MINI.length + 2, /duplicate link name "C2"/],
    ['unknown flow units', miniWith(at('FLOW_UNITS CMS'), 'FLOW_UNITS FURLONGS'), at('FLOW_UNITS CMS'), /FLOW_UNITS must be one of/],
  ];

  it.each(cases)('rejects %s, naming the line', (_what, text, line, message) => {
    let error: unknown;
    try {
      parseSwmm(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SwmmParseError);
    expect((error as SwmmParseError).line).toBe(line);
    expect((error as Error).message).toMatch(new RegExp(`^line ${line}: `));
    expect((error as Error).message).toMatch(message);
  });
});

describe('writeSwmm', () => {
  const model = () => parseSwmm(MINI.join('\n'));

  it('writes GUI-style headers and padded columns, only for sections with content', () => {
    const text = writeSwmm(model());
    expect(text).toContain(
      [
        '[JUNCTIONS]',
        ';;Name           Elevation  MaxDepth   InitDepth  SurDepth   Aponded',
        ';;-------------- ---------- ---------- ---------- ---------- ----------',
        'J1               10         2',
        'J2               9.5        2',
      ].join('\n'),
    );
    expect(text).toContain('O1               9          FREE');
    expect(text).toContain('C1               J1               J2               100        0.013      0          0');
    expect(text).toMatch(/^\[TITLE\]\n;;Project Title\/Notes\nmini model\n\n\[OPTIONS\]\n;;Option {13}Value\nFLOW_UNITS {11}CMS\nLINK_OFFSETS {9}DEPTH\n/);
    expect(text).not.toMatch(/\[(STORAGE|DIVIDERS|VERTICES)\]/);
    expect(text.split('\n').every((l) => l === l.trimEnd())).toBe(true);
  });

  it('refuses names that would not survive a read', () => {
    const spaced = model();
    spaced.junctions[0].name = 'J 1';
    expect(() => writeSwmm(spaced)).toThrow(SwmmWriteError);
    expect(() => writeSwmm(spaced)).toThrow(/"J 1"/);

    const commented = model();
    commented.conduits[0].name = 'C1;old';
    expect(() => writeSwmm(commented)).toThrow(/"C1;old"/);

    const dangling = model();
    dangling.conduits[0].to = 'NOWHERE';
    expect(() => writeSwmm(dangling)).toThrow(/undeclared node "NOWHERE"/);

    const twice = model();
    twice.outfalls[0].name = 'j2';
    expect(() => writeSwmm(twice)).toThrow(/duplicate node name "j2"/);
  });

  it('adds the EPSG code to the title when the title lacks it', () => {
    const m = model();
    m.epsg = 4547;
    const back = parseSwmm(writeSwmm(m));
    expect(back.title).toEqual(['mini model', 'EPSG:4547']);
    expect(back.epsg).toBe(4547);
  });
});

describe('buildSwmmModel', () => {
  const network: SwmmNetwork = {
    title: 'Traced from YS-001; downstream',
    epsg: 4547,
    nodes: [
      { name: 'YS-001', kind: 'junction', invert_m: 21.35, max_depth_m: 2.4, x: 534012.25, y: 3380110.5 },
      { name: 'YS-002', kind: 'junction', invert_m: null, max_depth_m: null, x: 534060.75, y: 3380090 },
      { name: 'TANK-1', kind: 'storage', invert_m: 18.2, max_depth_m: 4.5, x: 534110, y: 3380070.125 },
      { name: 'OUT-1', kind: 'outfall', invert_m: 17.05, max_depth_m: null, x: 534190.5, y: 3380050 },
    ],
    links: [
      { name: 'P1', from: 'YS-001', to: 'YS-002', length_m: 52.3, diameter_mm: 600, vertices: [[534030, 3380105], [534045.5, 3380098]] },
      { name: 'P2', from: 'ys-002', to: 'TANK-1', length_m: 54.07, diameter_mm: null, roughness: 0.011, in_offset_m: 0.25, out_offset_m: 0.5, vertices: [] },
      { name: 'P3', from: 'TANK-1', to: 'OUT-1', length_m: 82.9, diameter_mm: 1350, vertices: [] },
    ],
  };

  // The exported model read back as a network: SI lengths, diameters in mm, nodes with their kind.
  function networkOf(m: SwmmModel): Omit<SwmmNetwork, 'title'> {
    const units = m.options.FLOW_UNITS;
    const metres = (v: number | null) => (v === null ? null : lengthToMetres(v, units));
    const nodes = [...m.junctions, ...m.storage, ...m.outfalls].map((n) => {
      const [x, y] = m.coordinates.get(n.name) ?? [NaN, NaN];
      return { name: n.name, kind: n.kind as 'junction' | 'storage' | 'outfall', invert_m: metres(n.invert), max_depth_m: metres(n.maxDepth), x, y };
    });
    const links = m.conduits.map((c) => ({
      name: c.name,
      from: c.from,
      to: c.to,
      length_m: lengthToMetres(c.length, units),
      diameter_mm: conduitDiameterMm(m.xsections.get(c.name), units),
      roughness: c.roughness,
      in_offset_m: metres(c.inOffset) ?? undefined,
      out_offset_m: metres(c.outOffset) ?? undefined,
      vertices: m.vertices.get(c.name) ?? [],
    }));
    return { epsg: m.epsg, nodes, links };
  }

  it('builds an SI model that writes and reads back to the same network', () => {
    const built = buildSwmmModel(network);
    expect(built.options).toEqual({ FLOW_UNITS: 'CMS', LINK_OFFSETS: 'DEPTH' });
    expect(built.warnings).toEqual([
      'node YS-002 has no invert elevation; written as 0',
      'link P2 has no diameter; written as 300 mm',
    ]);

    const text = writeSwmm(built);
    const back = parseSwmm(text);
    expect(back).toEqual({ ...built, warnings: [] });

    expect(networkOf(back)).toEqual({
      epsg: 4547,
      nodes: [
        { ...network.nodes[0] },
        { ...network.nodes[1], invert_m: 0, max_depth_m: 0 },
        { ...network.nodes[2] },
        { ...network.nodes[3] },
      ],
      links: [
        { ...network.links[0], roughness: 0.013, in_offset_m: 0, out_offset_m: 0 },
        { ...network.links[1], from: 'YS-002', diameter_mm: 300 },
        { ...network.links[2], roughness: 0.013, in_offset_m: 0, out_offset_m: 0 },
      ],
    });
  });

  it('writes what SWMM requires for outfalls, storage units and cross sections', () => {
    const text = writeSwmm(buildSwmmModel(network));
    expect(text).toMatch(/^OUT-1 +17\.05 +FREE +NO$/m);
    expect(text).toMatch(/^TANK-1 +18\.2 +4\.5 +0 +FUNCTIONAL +0 0 0 +0 +0$/m);
    expect(text).toMatch(/^P1 +CIRCULAR +0\.6 +0 +0 +0 +1$/m);
    expect(text).toMatch(/^P2 +CIRCULAR +0\.3 +0 +0 +0 +1$/m);
    expect(text).toMatch(/^P3 +CIRCULAR +1\.35 +0 +0 +0 +1$/m);
    // The ";" would start a comment, so it never reaches the title.
    expect(parseSwmm(text).title).toEqual(['Traced from YS-001, downstream', 'EPSG:4547']);
  });

  it('refuses duplicate names and links to nodes outside the network', () => {
    const dupe = { ...network, nodes: [...network.nodes, { ...network.nodes[0], name: 'ys-001' }] };
    expect(() => buildSwmmModel(dupe)).toThrow(SwmmWriteError);
    const stray = { ...network, links: [{ ...network.links[0], to: 'ELSEWHERE' }] };
    expect(() => buildSwmmModel(stray)).toThrow(/node "ELSEWHERE" that is not in the network/);
  });
});

describe('units', () => {
  it('tells US from SI flow units', () => {
    expect(['CFS', 'gpm', 'MGD'].map(usUnits)).toEqual([true, true, true]);
    expect(['CMS', 'LPS', 'mld'].map(usUnits)).toEqual([false, false, false]);
    expect(() => usUnits('CFM')).toThrow(RangeError);
  });

  it('converts feet to metres only for US units', () => {
    expect(lengthToMetres(100, 'CFS')).toBeCloseTo(30.48, 10);
    expect(lengthToMetres(100, 'LPS')).toBe(100);
  });

  it('gives circular diameters in millimetres', () => {
    const circle = (geom1: number, shape = 'CIRCULAR') => ({ shape, geom1, geom2: 0, geom3: 0, geom4: 0, barrels: 1, ref: null, rest: [] });
    expect(conduitDiameterMm(circle(1), 'CFS')).toBe(305);
    expect(conduitDiameterMm(circle(0.45), 'CMS')).toBe(450);
    expect(conduitDiameterMm(circle(0.3, 'FORCE_MAIN'), 'MLD')).toBe(300);
    expect(conduitDiameterMm(circle(2, 'RECT_CLOSED'), 'CMS')).toBeNull();
    expect(conduitDiameterMm(undefined, 'CMS')).toBeNull();
  });
});
