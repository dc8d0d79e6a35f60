// A small sewer survey in the shape of US town GIS exports (Vermont's wastewater inventory layers): pipes
// as LineStrings in WGS84 with no from/to fields, so topology must come from shared vertices; manholes as
// Points; every feature with the same attribute set ("System Type", "Type", an OBJECTID that is 0
// everywhere, blank " " notes, "Source Date" as text). Deterministic, and it knows what a correct import
// of it must produce, so tests assert exact counts rather than "more than zero".
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';

export interface BradfordLikeOptions {
  /** Separate networks, 400 m apart (each a connected component). */
  trunks: number;
  /** Reaches of each trunk: it is drawn as ONE line over `reaches + 1` vertices, 60 m apart. */
  reaches: number;
  /** Side branches per trunk, each ending exactly on an inner vertex of the trunk (1..branches). */
  branches: number;
}

type Usage = 'sewage' | 'combined' | 'rain';

/** What an import must find, derived from the options alone (see the topology rules in the comments). */
export interface BradfordLikeTruth {
  lines: number;
  /** Point features: a manhole near every trunk vertex, an outfall at each outlet's end, one lone pump station. */
  points: number;
  /** The lines alone, tolerance under 30 m: ends join ends and the branch ends split the trunk. */
  alone: { manholes: number; pipes: number; split_links: number; components: number; snapped_nodes: number; created_nodes: number; pipesByUsage: Record<Usage, number> };
  /** Lines and points, tolerance between 0.5 and 30 m: the points (0.3 m off the vertices) become the nodes. */
  withPoints: { manholes: number; pipes: number; split_links: number; components: number; snapped_nodes: number; created_nodes: number; pointManholes: number };
}

// Where the generated town sits (Orange County, Vermont; UTM zone 18N) and metres per degree there.
const ORIGIN = [-72.13, 43.99] as const;
const M_PER_DEG = { x: 111_320 * Math.cos((ORIGIN[1] * Math.PI) / 180), y: 110_700 };
const SPACING = 60;
const POINT_OFFSET = 0.3;

const at = (east: number, north: number): [number, number] => [
  Number((ORIGIN[0] + east / M_PER_DEG.x).toFixed(10)),
  Number((ORIGIN[1] + north / M_PER_DEG.y).toFixed(10)),
];

// The attribute sets of the source layers; only "System Type" and "Type" mean anything to the importer.
const SYSTEMS: { system: string; pipe: string; usage: Usage }[] = [
  { system: 'Wastewater', pipe: 'Sewer pipe', usage: 'sewage' },
  { system: 'Combined', pipe: 'Combined sewer pipe', usage: 'combined' },
  { system: 'Stormwater', pipe: 'Storm drain', usage: 'rain' },
];
const lineProps = (t: number, k: number) => ({
  OBJECTID: 0, 'System Type': SYSTEMS[t % 3].system, Status: k % 4 === 3 ? 'Abandoned' : 'Existing', Notes: k % 2 ? 'water plans' : ' ',
  'Source Date': String(1357862400000 - k * 86_400_000), Creator: 'SURVEYOR', Audience: 'Public', Type: SYSTEMS[t % 3].pipe,
  Source: k % 3 ? null : 'Wastewater Division Plans', Shape_Length: 0,
});
const pointProps = (type: string, k: number) => ({
  OBJECTID: 0, 'System Type': 'Wastewater', Status: 'Existing', Notes: k % 2 ? 'water plans' : ' ',
  'Source Date': 'Fri, 11 Jan 2013 00:00:00 GMT', Creator: 'SURVEYOR', Audience: 'Public', Type: type, Source: null,
});

export function bradfordLike(o: BradfordLikeOptions): { lines: FeatureCollection<LineString>; points: FeatureCollection<Point>; truth: BradfordLikeTruth } {
  if (o.trunks < 1 || o.reaches < 2 || o.branches < 0 || o.branches > o.reaches - 1) throw new Error('bradfordLike: need trunks >= 1, reaches >= 2, 0 <= branches < reaches');
  const lines: Feature<LineString>[] = [];
  // The lone pump station comes first: it takes the file's only OBJECTID "0" as its code, so every
  // manhole used by the network gets a generated "P<n>" code.
  const points: Feature<Point>[] = [{ type: 'Feature', id: 0, properties: pointProps('Pump station', 0), geometry: { type: 'Point', coordinates: at(-300, -300) } }];
  const line = (t: number, coords: [number, number][]) => lines.push({ type: 'Feature', id: 0, properties: lineProps(t, lines.length), geometry: { type: 'LineString', coordinates: coords } });
  const point = (type: string, [e, n]: [number, number]) => points.push({ type: 'Feature', id: 0, properties: pointProps(type, points.length), geometry: { type: 'Point', coordinates: at(e + POINT_OFFSET, n - POINT_OFFSET) } });

  for (let t = 0; t < o.trunks; t++) {
    const north = t * 400;
    // The trunk zig-zags 5 m like a street; its vertices in metres from the origin.
    const v = Array.from({ length: o.reaches + 1 }, (_, j) => [j * SPACING, north + (j % 2 ? 5 : 0)] as [number, number]);
    line(t, v.map(([e, n]) => at(e, n)));
    for (let b = 1; b <= o.branches; b++) {
      const [e, n] = v[b];
      line(t, [at(e, n + 80), at(e + 10, n + 40), at(e, n)]);
    }
    const [le, ln] = v[o.reaches];
    line(t, [at(le, ln), at(le, ln - 70)]);
    v.forEach((p) => point('Sewer manhole', p));
    point('Sewer outfall', [le, ln - 70]);
  }

  const perTrunk = {
    // Trunk cut at each branch end, the branches, the outlet.
    pipesAlone: o.branches + 1 + o.branches + 1,
    // Trunk ends, both ends of each branch, the outlet's far end (its near end joins the trunk's).
    nodesAlone: 2 + 2 * o.branches + 1,
    // With the manholes every trunk vertex is a node: the trunk becomes `reaches` pipes.
    pipesWithPoints: o.reaches + o.branches + 1,
  };
  const pipesByUsage: Record<Usage, number> = { sewage: 0, combined: 0, rain: 0 };
  for (let t = 0; t < o.trunks; t++) pipesByUsage[SYSTEMS[t % 3].usage] += perTrunk.pipesAlone;
  const truth: BradfordLikeTruth = {
    lines: lines.length,
    points: points.length,
    alone: {
      manholes: o.trunks * perTrunk.nodesAlone,
      pipes: o.trunks * perTrunk.pipesAlone,
      split_links: o.branches > 0 ? o.trunks : 0,
      components: o.trunks,
      snapped_nodes: o.trunks,
      created_nodes: o.trunks * perTrunk.nodesAlone,
      pipesByUsage,
    },
    withPoints: {
      // Trunk vertices, outfall, branch starts (no manhole there: created); the pump station is left out.
      manholes: o.trunks * (o.reaches + 2 + o.branches),
      pipes: o.trunks * perTrunk.pipesWithPoints,
      split_links: o.trunks,
      components: o.trunks,
      // Trunk ends, branch ends, both ends of the outlet.
      snapped_nodes: o.trunks * (2 + o.branches + 2),
      created_nodes: o.trunks * o.branches,
      pointManholes: o.trunks * (o.reaches + 2),
    },
  };
  return { lines: { type: 'FeatureCollection', features: lines }, points: { type: 'FeatureCollection', features: points }, truth };
}
