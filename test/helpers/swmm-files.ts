// EPA SWMM 5 .inp files written the way the SWMM GUI writes them (";;" column headers, padded columns,
// sections the importer does not map), in two flavours: "local" (EPA's tutorial style: numeric names, CFS,
// small non-geographic coordinates, no CRS anywhere) and "state-plane" (a utility model: MGD, storage
// units, coordinates in NAD83(HARN) / New Hampshire, US feet, EPSG:2817 named in the [TITLE]).
// Deterministic; `truth` holds the records a correct parser must read back.
import type { SwmmConduit, SwmmNode, SwmmXsection } from '../../server/importers/swmm.ts';

export interface SwmmFileOptions {
  flavour: 'local' | 'state-plane';
  /** Junctions along the trunk, which ends at the one outfall. */
  trunk: number;
  /** Side branches, branch b joining trunk node b; each a chain of `perBranch` nodes. */
  branches: number;
  perBranch: number;
  /** Every k-th trunk node is a storage unit (0: none). */
  storageEvery: number;
  /** The first N conduits bend: 1 or 2 [VERTICES] points each. */
  bentConduits: number;
}

export interface SwmmTruth {
  epsg: number | null;
  junctions: SwmmNode[];
  outfalls: SwmmNode[];
  storage: SwmmNode[];
  conduits: SwmmConduit[];
  xsections: Map<string, SwmmXsection>;
  coordinates: Map<string, [number, number]>;
  vertices: Map<string, [number, number][]>;
  /** Data rows of [TIMESERIES] and [POLYGONS] as written (sections kept verbatim). */
  timeseriesRows: string[];
  polygonRows: string[];
}

// Pipe sizes in feet, 8-inch first: geom1 of CIRCULAR is the diameter.
const DIAMETERS_FT = [0.666667, 1, 1.25, 1.5, 2];
const FLAVOURS = {
  local: { title: 'Example model, tutorial network', units: 'CFS', routingStep: '60', origin: [1000, 1000], roughness: 0.01 },
  'state-plane': { title: 'Model with state plane coordinates: init=EPSG:2817', units: 'MGD', routingStep: '0:00:05', origin: [2746100, 1119500], roughness: 0.014 },
} as const;

const r3 = (v: number) => Number(v.toFixed(3));
const row = (cells: (string | number)[]) => cells.map((c, i) => String(c).padEnd(i === 0 ? 16 : 10)).join(' ');
const header = (...cols: string[]) => [`;;${cols.map((c, i) => c.padEnd(i === 0 ? 14 : 10)).join(' ')}`, `;;${cols.map((_, i) => '-'.repeat(i === 0 ? 14 : 10)).join(' ')}`];

export function swmmFile(o: SwmmFileOptions): { text: string; truth: SwmmTruth } {
  const f = FLAVOURS[o.flavour];
  const local = o.flavour === 'local';
  // Node names: numbers in the tutorial style, "J<branch>-<nnn>" in the utility style.
  const name = (branch: number, k: number) => (local ? String(branch * 100 + k + 1) : `J${branch + 1}-${String(k + 1).padStart(3, '0')}`);
  const junctions: SwmmNode[] = [];
  const storage: SwmmNode[] = [];
  const coordinates = new Map<string, [number, number]>();
  const place = (n: string, east: number, south: number) => coordinates.set(n, [r3(f.origin[0] + east + ((n.length * 37) % 100) / 1000), r3(f.origin[1] - south)]);
  const links: [string, string][] = [];

  // The trunk runs south-east, 300 ft east and 150 ft south per node; the outfall after it.
  const trunk: string[] = [];
  for (let k = 0; k < o.trunk; k++) {
    const n = name(0, k);
    trunk.push(n);
    const invert = r3(990 - k * 2.75);
    if (o.storageEvery && (k + 1) % o.storageEvery === 0) storage.push({ name: n, kind: 'storage', invert, maxDepth: 10.5, rest: ['0', 'FUNCTIONAL', '15', '0', '0', '0', '0'] });
    // One junction with a ponded area, as utility models carry for surcharge.
    else junctions.push({ name: n, kind: 'junction', invert, maxDepth: r3(3 + (k % 4) * 1.25), rest: ['0', '0', k === 1 ? '358868.014' : '0'] });
    place(n, k * 300, k * 150);
    if (k > 0) links.push([trunk[k - 1], n]);
  }
  const outfallName = local ? String(o.trunk + 1) : 'OF-001';
  const outfalls: SwmmNode[] = [{ name: outfallName, kind: 'outfall', invert: r3(990 - o.trunk * 2.75), maxDepth: null, rest: ['FREE', 'NO'] }];
  place(outfallName, o.trunk * 300, o.trunk * 150);
  links.push([trunk[o.trunk - 1], outfallName]);
  // Branch b comes from the north-west into trunk node b.
  for (let b = 1; b <= o.branches; b++) {
    const [tx, ty] = [(b - 1) * 300, (b - 1) * 150];
    for (let k = 0; k < o.perBranch; k++) {
      const n = name(b, k);
      junctions.push({ name: n, kind: 'junction', invert: r3(1000 + (o.perBranch - k) * 1.5), maxDepth: 3, rest: ['0', '0', '0'] });
      place(n, tx - 100 * (o.perBranch - k), ty - 250 * (o.perBranch - k));
      links.push([n, k + 1 < o.perBranch ? name(b, k + 1) : trunk[b - 1]]);
    }
  }

  const conduits: SwmmConduit[] = [];
  const xsections = new Map<string, SwmmXsection>();
  const vertices = new Map<string, [number, number][]>();
  links.forEach(([from, to], k) => {
    const c = local ? String(k + 1) : `${from}.1`;
    const [a, b] = [coordinates.get(from)!, coordinates.get(to)!];
    const bends: [number, number][] = k < o.bentConduits ? Array.from({ length: (k % 2) + 1 }, (_, i) => [r3(a[0] + (b[0] - a[0]) * (i + 1) / 3 + 20), r3(a[1] + (b[1] - a[1]) * (i + 1) / 3)]) : [];
    if (bends.length) vertices.set(c, bends);
    const path = [a, ...bends, b];
    const length = Number(path.slice(1).reduce((s, p, i) => s + Math.hypot(p[0] - path[i][0], p[1] - path[i][1]), 0).toFixed(6));
    conduits.push({ name: c, from, to, length, roughness: f.roughness, inOffset: k % 3 === 1 ? 1 : 0, outOffset: k % 4 === 2 ? 0.5 : 0, rest: ['0', '0'] });
    xsections.set(c, { shape: 'CIRCULAR', geom1: DIAMETERS_FT[k % DIAMETERS_FT.length], geom2: 0, geom3: 0, geom4: 0, barrels: 1, ref: null, rest: [] });
  });

  // The GUI lists tutorial models by name (so "10" before "9"), utility exports in network order.
  const byName = <T extends { name: string }>(xs: T[]) => (local ? [...xs].sort((p, q) => (p.name < q.name ? -1 : 1)) : xs);
  const js = byName(junctions);
  const cs = byName(conduits);
  const heads = Array.from({ length: o.branches }, (_, b) => name(b + 1, 0));
  const subcatchments = heads.map((h, i) => (local ? String(i + 1) : `S${i + 1}-${h.slice(3)}`));
  const timeseriesRows = local
    ? [';RAINFALL', ...[0, 0.25, 0.5, 0.8, 0.4, 0.1, 0].map((v, h) => `TS1                         ${h}:00       ${v}`)]
    : [0, 0.1, 0.2, 0.5, 0.1, 0].map((v, h) => `design-storm     01/01/2001 ${h}:00       ${v}`);
  const polygonRows = subcatchments.flatMap((s, i) => {
    const [x, y] = coordinates.get(heads[i])!;
    return [[x - 50, y + 50], [x + 150, y + 120], [x + 40, y + 300]].map(([px, py]) => `${s.padEnd(16)} ${r3(px)}        ${r3(py)}`);
  });

  const sections: [string, string[]][] = [
    ['TITLE', [';;Project Title/Notes', f.title]],
    ['OPTIONS', [';;Option             Value', ...Object.entries({ FLOW_UNITS: f.units, INFILTRATION: 'HORTON', FLOW_ROUTING: local ? 'KINWAVE' : 'DYNWAVE', LINK_OFFSETS: 'DEPTH', START_DATE: '01/01/2001', ROUTING_STEP: f.routingStep, THREADS: '1' }).map(([k, v]) => `${k.padEnd(20)} ${v}`)]],
    ['EVAPORATION', [...header('Data Source', 'Parameters'), 'CONSTANT         0.0', 'DRY_ONLY         NO']],
    ['RAINGAGES', [...header('Name', 'Format', 'Interval', 'SCF', 'Source'), row(['RG1', 'INTENSITY', '1:00', '1.0', 'TIMESERIES', local ? 'TS1' : 'design-storm'])]],
    ['SUBCATCHMENTS', [...header('Name', 'Rain Gage', 'Outlet', 'Area', '%Imperv', 'Width', '%Slope', 'CurbLen'), ...subcatchments.map((s, i) => row([s, 'RG1', heads[i], 5, 25, 500, 0.5, 0]))]],
    ['SUBAREAS', [...header('Subcatchment', 'N-Imperv', 'N-Perv', 'S-Imperv', 'S-Perv', 'PctZero', 'RouteTo'), ...subcatchments.map((s) => row([s, 0.01, 0.1, 0.05, 0.05, 25, 'OUTLET']))]],
    ['JUNCTIONS', [...header('Name', 'Elevation', 'MaxDepth', 'InitDepth', 'SurDepth', 'Aponded'), ...js.map((n) => row([n.name, n.invert, n.maxDepth!, ...n.rest]))]],
    ['OUTFALLS', [...header('Name', 'Elevation', 'Type', 'Stage Data', 'Gated', 'Route To'), ...outfalls.map((n) => row([n.name, n.invert, n.rest[0], '', n.rest[1]]))]],
    ...(storage.length ? [['STORAGE', [...header('Name', 'Elev.', 'MaxDepth', 'InitDepth', 'Shape', 'Curve Name/Params'), ...storage.map((n) => row([n.name, n.invert, n.maxDepth!, ...n.rest]))]] as [string, string[]]] : []),
    ['CONDUITS', [...header('Name', 'From Node', 'To Node', 'Length', 'Roughness', 'InOffset', 'OutOffset', 'InitFlow', 'MaxFlow'), ...cs.map((c) => row([c.name, c.from, c.to, c.length, c.roughness, c.inOffset!, c.outOffset!, ...c.rest]))]],
    ['XSECTIONS', [...header('Link', 'Shape', 'Geom1', 'Geom2', 'Geom3', 'Geom4', 'Barrels', 'Culvert'), ...cs.map((c) => { const x = xsections.get(c.name)!; return row([c.name, x.shape, x.geom1, x.geom2, x.geom3, x.geom4, x.barrels]); })]],
    // Header-only in the tutorial (the parser drops it), per-conduit losses in utility models.
    ['LOSSES', [...header('Link', 'Kentry', 'Kexit', 'Kavg', 'Flap Gate', 'Seepage'), ...(local ? [] : cs.slice(0, 3).map((c) => row([c.name, 0.15, 0.015, 0, 'NO', 0])))]],
    ['TIMESERIES', [...header('Name', 'Date', 'Time', 'Value'), ...timeseriesRows]],
    ['REPORT', [';;Reporting Options', 'INPUT      NO', 'NODES ALL', 'LINKS ALL']],
    ['TAGS', []],
    ['MAP', [`DIMENSIONS ${f.origin[0] - 500} ${f.origin[1] - 3000} ${f.origin[0] + 5000} ${f.origin[1] + 2000}`, `Units      ${local ? 'None' : 'Feet'}`]],
    ['COORDINATES', [...header('Node', 'X-Coord', 'Y-Coord'), ...[...coordinates].map(([n, [x, y]]) => row([n, x, y]))]],
    ['VERTICES', [...header('Link', 'X-Coord', 'Y-Coord'), ...[...vertices].flatMap(([c, ps]) => ps.map(([x, y]) => row([c, x, y])))]],
    // The GUI of some versions writes this header in mixed case.
    [local ? 'POLYGONS' : 'Polygons', [...header('Subcatchment', 'X-Coord', 'Y-Coord'), ...polygonRows]],
    ['SYMBOLS', [...header('Gage', 'X-Coord', 'Y-Coord'), row(['RG1', f.origin[0] - 300, f.origin[1] + 400])]],
  ];
  const text = `${sections.map(([s, lines]) => [`[${s}]`, ...lines, ''].join('\n')).join('\n')}\n`;
  const epsg = local ? null : 2817;
  return { text, truth: { epsg, junctions: js, outfalls, storage, conduits: cs, xsections, coordinates, vertices, timeseriesRows, polygonRows } };
}
