// Live vehicle tracks: the last minutes from GET /api/vehicles/tracks, then every position event appended.
// Each track keeps only the trail window (and at least its latest fix), so a wall running for days holds
// the same few thousand points as one that just started.
import type { VehicleTrack, VehicleTracks } from '../../api/types.ts';
import type { PositionEvent } from '../../api/live.ts';

/** Seconds of track kept behind the newest fix of each vehicle. */
export const KEEP_SECONDS = 10 * 60;
/** Fixes kept per vehicle at most, whatever their rate. */
export const MAX_FIXES = 240;
/** Vehicles known at most (a feed with bad ids cannot grow memory). */
export const MAX_VEHICLES = 2000;

export type TrackTable = Map<number, VehicleTrack>;

export function tableFromTracks(t: VehicleTracks): TrackTable {
  const out: TrackTable = new Map();
  for (const v of t.vehicles) out.set(v.id, { ...v, path: v.path.slice(-MAX_FIXES) });
  return out;
}

/** One fix appended in time order (a late fix is inserted in place; a repeated one is ignored). */
export function appendPosition(table: TrackTable, p: PositionEvent): boolean {
  const t = Date.parse(p.t) / 1000;
  if (!Number.isFinite(t) || !Number.isFinite(p.lon) || !Number.isFinite(p.lat)) return false;
  let track = table.get(p.vehicle_id);
  if (!track) {
    if (table.size >= MAX_VEHICLES) return false;
    // A vehicle the track window did not have: its kind is unknown until the next full read.
    track = { id: p.vehicle_id, plate: String(p.vehicle_id), kind: 'inspection', status: 'on_duty', path: [] };
    table.set(p.vehicle_id, track);
  }
  const path = track.path;
  const fix: [number, number, number] = [p.lon, p.lat, t];
  if (!path.length || path[path.length - 1][2] < t) path.push(fix);
  else {
    let i = path.length - 1;
    while (i >= 0 && path[i][2] > t) i--;
    if (i >= 0 && path[i][2] === t) return false;
    path.splice(i + 1, 0, fix);
  }
  if (track.status === 'offline') track.status = 'on_duty';
  const newest = path[path.length - 1][2];
  let drop = 0;
  while (drop < path.length - 1 && (path[drop][2] < newest - KEEP_SECONDS || path.length - drop > MAX_FIXES)) drop++;
  if (drop) path.splice(0, drop);
  return true;
}

/** The tracks as the deck layer's data, with the earliest time (timestamps go to the GPU relative to it). */
export function trackFrame(table: TrackTable): { tracks: VehicleTrack[]; t0: number } {
  const tracks = [...table.values()].map((v) => ({ ...v, path: v.path.slice() }));
  let t0 = Infinity;
  for (const v of tracks) if (v.path.length && v.path[0][2] < t0) t0 = v.path[0][2];
  return { tracks, t0: Number.isFinite(t0) ? t0 : 0 };
}
