// From survey features to a directed drainage network, with a report of everything decided on the way.
// Pure (no I/O): coordinates are WGS84 by now. Real survey data rarely carries node ids on its pipes, so
// ends are snapped to the nearest node within a tolerance (the file's own manholes first, then ends
// already seen), creating a manhole where none is near; flow runs from the higher invert to the lower
// when both are known, else in digitising direction; zero-length and duplicate pipes are dropped.
import { metresPerDegree } from '../geo/geodesic.ts';

export type Usage = 'rain' | 'sewage' | 'combined';
export type NodeKind = 'manhole' | 'outfall' | 'junction' | 'inlet' | 'storage';

export interface SourceNode {
  code: string;
  kind: NodeKind;
  lon: number;
  lat: number;
  invert_m: number | null;
  ground_m: number | null;
}

export interface SourceLink {
  code: string;
  /** Node codes when the file gives them (SWMM, or GIS attributes); else snapped. */
  from: string | null;
  to: string | null;
  coords: [number, number][];
  diameter_mm: number | null;
  material: string | null;
  usage: Usage | null;
  up_invert_m: number | null;
  down_invert_m: number | null;
  /** From the file (SWMM's hydraulic length); else measured on the ellipsoid when written. */
  length_m: number | null;
}

export interface BuildOptions {
  tolerance_m: number;
  /** Usage for links that do not say. */
  defaultUsage: Usage;
}

export interface Skip { what: 'link' | 'node'; code: string; reason: string }

export interface BuiltNetwork {
  nodes: SourceNode[];
  links: (SourceLink & { from: string; to: string; reversed: boolean })[];
  report: TopologyReport;
}

export interface TopologyReport {
  read: { nodes: number; links: number };
  written: { manholes: number; pipes: number };
  skipped: { what: string; reason: string; count: number; examples: string[] }[];
  created_nodes: number;
  snapped_nodes: number;
  /** Lines split where they pass over a node (a polyline drawn across several manholes). */
  split_links: number;
  /** Connected pieces of the network (ignoring direction); 1 is a fully connected network. */
  components: number;
  zero_length: number;
  duplicates: number;
  /** Nodes on directed cycles (water cannot flow in a circle: a survey or direction error). */
  cycles: number;
  direction: { from_file: number; from_inverts: number; digitised: number; reversed: number };
  outfalls: number;
}

/** Distance in metres between two nearby WGS84 points (local planar metric; snapping scale). */
function near(a: [number, number], b: [number, number]): number {
  const m = metresPerDegree((a[1] + b[1]) / 2);
  return Math.hypot((a[0] - b[0]) * m.x, (a[1] - b[1]) * m.y);
}

/** Buckets of nodes by position, cell = tolerance, for snapping in O(1) per end. */
class SnapIndex {
  private readonly cells = new Map<string, SourceNode[]>();
  private readonly dx: number;
  private readonly dy: number;
  constructor(private readonly tolerance: number, lat: number) {
    const m = metresPerDegree(lat);
    this.dx = Math.max(tolerance, 0.01) / m.x;
    this.dy = Math.max(tolerance, 0.01) / m.y;
  }
  private key(cx: number, cy: number) { return `${cx}:${cy}`; }
  add(n: SourceNode) {
    const k = this.key(Math.floor(n.lon / this.dx), Math.floor(n.lat / this.dy));
    const list = this.cells.get(k);
    if (list) list.push(n); else this.cells.set(k, [n]);
  }
  nearest(p: [number, number]): SourceNode | null {
    const [cx, cy] = [Math.floor(p[0] / this.dx), Math.floor(p[1] / this.dy)];
    let best: SourceNode | null = null;
    let bestD = Infinity;
    for (let i = -1; i <= 1; i++) for (let j = -1; j <= 1; j++) {
      for (const n of this.cells.get(this.key(cx + i, cy + j)) ?? []) {
        const d = near(p, [n.lon, n.lat]);
        if (d <= this.tolerance && d < bestD) { best = n; bestD = d; }
      }
    }
    return best;
  }
}

export function buildNetwork(nodesIn: SourceNode[], linksIn: SourceLink[], opts: BuildOptions): BuiltNetwork {
  const skips: Skip[] = [];
  const nodes: SourceNode[] = [];
  const byCode = new Map<string, SourceNode>();
  for (const n of nodesIn) {
    if (byCode.has(n.code)) { skips.push({ what: 'node', code: n.code, reason: 'duplicate node code' }); continue; }
    byCode.set(n.code, n);
    nodes.push(n);
  }
  const lat0 = nodesIn[0]?.lat ?? linksIn[0]?.coords[0]?.[1] ?? 0;
  const index = new SnapIndex(opts.tolerance_m, lat0);
  for (const n of nodes) index.add(n);
  let created = 0;
  let snapped = 0;
  let auto = 0;
  const nodeAt = (p: [number, number]): SourceNode => {
    const hit = index.nearest(p);
    if (hit) { snapped++; return hit; }
    let code = `N${++auto}`;
    while (byCode.has(code)) code = `N${++auto}`;
    const n: SourceNode = { code, kind: 'manhole', lon: p[0], lat: p[1], invert_m: null, ground_m: null };
    byCode.set(code, n);
    nodes.push(n);
    index.add(n);
    created++;
    return n;
  };

  const direction = { from_file: 0, from_inverts: 0, digitised: 0, reversed: 0 };
  const links: BuiltNetwork['links'] = [];
  const seenCodes = new Set<string>();
  const seenPairs = new Map<string, [number, number][]>();
  let zero = 0;
  let dups = 0;
  let splits = 0;

  // Pass 1: the ends of every pipe become nodes (or join one), so that pass 2 can see all of them.
  const ends = new Map<SourceLink, [SourceNode, SourceNode]>();
  for (const l of linksIn) {
    if (seenCodes.has(l.code)) { skips.push({ what: 'link', code: l.code, reason: 'duplicate link code' }); continue; }
    seenCodes.add(l.code);
    if (l.coords.length < 2) { skips.push({ what: 'link', code: l.code, reason: 'fewer than two vertices' }); continue; }
    if (l.from !== null && l.to !== null) {
      const f = byCode.get(l.from);
      const t = byCode.get(l.to);
      if (!f || !t) { skips.push({ what: 'link', code: l.code, reason: `node ${!f ? l.from : l.to} is not in the file` }); continue; }
      ends.set(l, [f, t]);
    } else ends.set(l, [nodeAt(l.coords[0]), nodeAt(l.coords[l.coords.length - 1])]);
  }

  // Pass 2: a polyline drawn across several manholes (a node on one of its inner vertices) is split
  // there into reaches; then direction, zero-length and duplicate checks per reach.
  for (const [l, [from, to]] of ends) {
    const fromFile = l.from !== null && l.to !== null;
    // Direction of the whole line: the file's from/to, else the inverts (water runs downhill), else as digitised.
    const up = l.up_invert_m ?? from.invert_m;
    const down = l.down_invert_m ?? to.invert_m;
    let reversed = false;
    if (fromFile) direction.from_file++;
    else if (up !== null && down !== null && up !== down) {
      direction.from_inverts++;
      reversed = up < down;
    } else direction.digitised++;
    if (reversed) direction.reversed++;

    const pieces: { a: SourceNode; b: SourceNode; coords: [number, number][] }[] = [];
    let start = 0;
    let a = from;
    if (!fromFile) {
      for (let i = 1; i < l.coords.length - 1; i++) {
        const hit = index.nearest(l.coords[i]);
        if (hit && hit !== a && hit !== to) {
          pieces.push({ a, b: hit, coords: l.coords.slice(start, i + 1) });
          [a, start] = [hit, i];
        }
      }
    }
    pieces.push({ a, b: to, coords: l.coords.slice(start) });
    if (pieces.length > 1) splits++;

    pieces.forEach((piece, k) => {
      const code = pieces.length > 1 ? `${l.code}-${k + 1}` : l.code;
      if (piece.a === piece.b) { zero++; skips.push({ what: 'link', code, reason: 'zero length: both ends at the same node' }); return; }
      const pair = [piece.a.code, piece.b.code].sort().join('\u0000');
      const prior = seenPairs.get(pair);
      if (prior && sameLine(prior, piece.coords)) { dups++; skips.push({ what: 'link', code, reason: 'duplicate of another pipe between the same nodes' }); return; }
      seenPairs.set(pair, piece.coords);
      const first = k === 0;
      const last = k === pieces.length - 1;
      const pieceUp = first ? up : null;
      const pieceDown = last ? down : null;
      links.push(reversed
        ? { ...l, code, from: piece.b.code, to: piece.a.code, coords: [...piece.coords].reverse(), up_invert_m: pieceDown, down_invert_m: pieceUp, length_m: pieces.length > 1 ? null : l.length_m, reversed }
        : { ...l, code, from: piece.a.code, to: piece.b.code, coords: piece.coords, up_invert_m: pieceUp, down_invert_m: pieceDown, length_m: pieces.length > 1 ? null : l.length_m, reversed });
    });
  }
  // Nodes no pipe uses are not part of the network.
  const used = new Set(links.flatMap((l) => [l.from, l.to]));
  const kept = nodes.filter((n) => used.has(n.code));
  for (const n of nodes) if (!used.has(n.code)) skips.push({ what: 'node', code: n.code, reason: 'not connected to any pipe' });
  // A node nothing leaves is where the water leaves this network.
  const hasOut = new Set(links.map((l) => l.from));
  let outfalls = 0;
  for (const n of kept) if (!hasOut.has(n.code) && n.kind === 'manhole') { n.kind = 'outfall'; outfalls++; } else if (n.kind === 'outfall') outfalls++;

  return {
    nodes: kept,
    links,
    report: {
      read: { nodes: nodesIn.length, links: linksIn.length },
      written: { manholes: kept.length, pipes: links.length },
      skipped: groupSkips(skips),
      created_nodes: created,
      snapped_nodes: snapped,
      split_links: splits,
      components: components(kept, links),
      zero_length: zero,
      duplicates: dups,
      cycles: nodesOnCycles(kept, links),
      direction,
      outfalls,
    },
  };
}

/** Same vertices (either direction), to a centimetre. */
function sameLine(a: [number, number][], b: [number, number][]): boolean {
  if (a.length !== b.length) return false;
  const eq = (p: [number, number], q: [number, number]) => near(p, q) < 0.01;
  return a.every((p, i) => eq(p, b[i])) || a.every((p, i) => eq(p, b[b.length - 1 - i]));
}

function groupSkips(skips: Skip[]): TopologyReport['skipped'] {
  const groups = new Map<string, TopologyReport['skipped'][number]>();
  for (const s of skips) {
    const key = `${s.what}\u0000${s.reason}`;
    const g = groups.get(key) ?? { what: s.what, reason: s.reason, count: 0, examples: [] };
    g.count++;
    if (g.examples.length < 5) g.examples.push(s.code);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** Connected components ignoring direction (union-find). */
function components(nodes: SourceNode[], links: { from: string; to: string }[]): number {
  const parent = new Map(nodes.map((n) => [n.code, n.code]));
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    while (parent.get(x) !== r) { const nx = parent.get(x)!; parent.set(x, r); x = nx; }
    return r;
  };
  for (const l of links) parent.set(find(l.from), find(l.to));
  return new Set(nodes.map((n) => find(n.code))).size;
}

/** Nodes that lie on a directed cycle: what Kahn's topological sort cannot remove, then trimmed of mere downstream-of-cycle nodes. */
function nodesOnCycles(nodes: SourceNode[], links: { from: string; to: string }[]): number {
  const out = new Map<string, string[]>();
  const into = new Map<string, string[]>();
  const indeg = new Map(nodes.map((n) => [n.code, 0]));
  const outdeg = new Map(nodes.map((n) => [n.code, 0]));
  for (const l of links) {
    (out.get(l.from) ?? out.set(l.from, []).get(l.from)!).push(l.to);
    (into.get(l.to) ?? into.set(l.to, []).get(l.to)!).push(l.from);
    indeg.set(l.to, indeg.get(l.to)! + 1);
    outdeg.set(l.from, outdeg.get(l.from)! + 1);
  }
  // Peel sources forwards and sinks backwards; what remains is on (or between) cycles.
  const alive = new Set(nodes.map((n) => n.code));
  const peel = (deg: Map<string, number>, next: Map<string, string[]>) => {
    const queue = [...alive].filter((c) => deg.get(c) === 0);
    while (queue.length) {
      const c = queue.pop()!;
      if (!alive.delete(c)) continue;
      for (const m of next.get(c) ?? []) {
        deg.set(m, deg.get(m)! - 1);
        if (deg.get(m) === 0) queue.push(m);
      }
    }
  };
  peel(indeg, out);
  peel(outdeg, into);
  return alive.size;
}
