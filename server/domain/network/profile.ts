// A longitudinal profile (纵断面) from the reaches of a path along the flow: where each manhole stands
// along the path (chainage), its ground and invert, each reach's invert and crown at both ends and its
// slope, and where the defects and hazards of the reaches fall. Pure: the rows come from
// server/network/profile.ts.

export interface PathManhole {
  id: number; code: string; kind: string;
  ground_m: number | null; invert_m: number | null; depth_m: number | null;
  /** Depth of water above the invert a level sensor reports (m), null when none does. */
  water_depth_m: number | null;
}

export interface PathReach {
  id: number; code: string; usage: string; length_m: number;
  diameter_mm: number | null; up_invert_m: number | null; down_invert_m: number | null;
  sgrade: number | null; fgrade: number | null;
}

export interface ReachMark {
  pipe_id: number; kind: 'defect' | 'hazard'; id: number; code: string; grade: number;
  /** Metres from the reach's upstream end. */
  at_m: number;
  status: string | null;
}

export interface ProfileReach {
  id: number; code: string; usage: string; length_m: number; diameter_mm: number | null;
  from_chainage_m: number; to_chainage_m: number;
  up_invert_m: number | null; down_invert_m: number | null;
  up_crown_m: number | null; down_crown_m: number | null;
  /** Fall per metre ((up − down) / length), positive downhill; null without both inverts or length. */
  slope: number | null;
  sgrade: number | null; fgrade: number | null;
}

export interface ProfileStation {
  manhole: { id: number; code: string; kind: string };
  chainage_m: number;
  ground_m: number | null;
  /** The manhole's bottom: its surveyed invert, or ground − depth. */
  invert_m: number | null;
  /** The highest crown of the reaches at this manhole (in or out). */
  crown_m: number | null;
  /** Cover to bottom: the surveyed depth, or ground − invert. */
  depth_m: number | null;
  /** Water surface where a level sensor reports one: invert + the water depth. */
  water_m: number | null;
  /** The reach leaving this station along the path (null at the last one). */
  diameter_mm: number | null;
  slope: number | null;
}

export interface ProfileMark { kind: 'defect' | 'hazard'; id: number; pipe_id: number; code: string; grade: number; chainage_m: number; status: string | null }

export interface Profile { stations: ProfileStation[]; reaches: ProfileReach[]; marks: ProfileMark[]; length_m: number }

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
const r3 = (v: number | null) => (v === null ? null : round(v, 3));
const crown = (invert: number | null, mm: number | null) => (invert === null || mm === null ? null : invert + mm / 1000);
const max = (...v: (number | null)[]) => v.reduce<number | null>((a, b) => (b === null ? a : a === null ? b : Math.max(a, b)), null);

/** Slope of a reach as a fraction (0.003 = 3‰); null when an invert or the length is missing. */
export function reachSlope(r: Pick<PathReach, 'up_invert_m' | 'down_invert_m' | 'length_m'>): number | null {
  if (r.up_invert_m === null || r.down_invert_m === null || !(r.length_m > 0)) return null;
  return (r.up_invert_m - r.down_invert_m) / r.length_m;
}

/** `manholes` has one more entry than `reaches`: manholes[i] → reaches[i] → manholes[i + 1]. */
export function buildProfile(manholes: PathManhole[], reaches: PathReach[], marks: ReachMark[]): Profile {
  if (manholes.length !== reaches.length + 1) throw new Error(`a path of ${reaches.length} reaches has ${reaches.length + 1} manholes, not ${manholes.length}`);
  const out: ProfileReach[] = [];
  let chainage = 0;
  for (const r of reaches) {
    const slope = reachSlope(r);
    out.push({
      id: r.id, code: r.code, usage: r.usage, length_m: round(r.length_m, 2), diameter_mm: r.diameter_mm,
      from_chainage_m: round(chainage, 2), to_chainage_m: round(chainage + r.length_m, 2),
      up_invert_m: r3(r.up_invert_m), down_invert_m: r3(r.down_invert_m),
      up_crown_m: r3(crown(r.up_invert_m, r.diameter_mm)), down_crown_m: r3(crown(r.down_invert_m, r.diameter_mm)),
      slope: slope === null ? null : round(slope, 5), sgrade: r.sgrade, fgrade: r.fgrade,
    });
    chainage += r.length_m;
  }
  const stations = manholes.map((m, i): ProfileStation => {
    const before = i > 0 ? reaches[i - 1] : null;
    const after = i < reaches.length ? reaches[i] : null;
    const invert = m.invert_m ?? (m.ground_m !== null && m.depth_m !== null ? m.ground_m - m.depth_m : null);
    const depth = m.depth_m ?? (m.ground_m !== null && invert !== null ? m.ground_m - invert : null);
    return {
      manhole: { id: m.id, code: m.code, kind: m.kind },
      chainage_m: i === 0 ? 0 : out[i - 1].to_chainage_m,
      ground_m: r3(m.ground_m), invert_m: r3(invert), depth_m: r3(depth),
      crown_m: r3(max(before && crown(before.down_invert_m, before.diameter_mm), after && crown(after.up_invert_m, after.diameter_mm))),
      water_m: invert !== null && m.water_depth_m !== null ? r3(invert + m.water_depth_m) : null,
      diameter_mm: after?.diameter_mm ?? null,
      slope: i < out.length ? out[i].slope : null,
    };
  });
  const index = new Map(reaches.map((r, i) => [r.id, i]));
  const placed = marks.flatMap((k): ProfileMark[] => {
    const i = index.get(k.pipe_id);
    if (i === undefined) return [];
    const along = Math.min(Math.max(k.at_m, 0), reaches[i].length_m);
    return [{ kind: k.kind, id: k.id, pipe_id: k.pipe_id, code: k.code, grade: k.grade, status: k.status, chainage_m: round(out[i].from_chainage_m + along, 2) }];
  }).sort((a, b) => a.chainage_m - b.chainage_m || a.id - b.id);
  return { stations, reaches: out, marks: placed, length_m: round(chainage, 2) };
}
