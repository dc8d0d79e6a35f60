// A camera's field of view on the map: a sector from the camera, `range_m` long, `hfov_deg` wide around
// `azimuth_deg` (0 = north, clockwise). A point is seen when it lies within range and its bearing from
// the camera is within half the field of view of the azimuth. Pure geometry on the WGS84 ellipsoid.
import { geodesicDistance } from '../geo/geodesic.ts';

export interface CameraView { lon: number; lat: number; azimuth_deg: number; hfov_deg: number; range_m: number }

/** Initial bearing from one point to another, degrees clockwise from north in [0, 360). */
export function bearingDeg(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const r = Math.PI / 180;
  const dl = (lon2 - lon1) * r;
  const y = Math.sin(dl) * Math.cos(lat2 * r);
  const x = Math.cos(lat1 * r) * Math.sin(lat2 * r) - Math.sin(lat1 * r) * Math.cos(lat2 * r) * Math.cos(dl);
  return ((Math.atan2(y, x) / r) + 360) % 360;
}

/** Smallest angle between two bearings, 0–180°. */
export function angleBetween(a: number, b: number): number {
  const d = Math.abs(((a - b) % 360) + 360) % 360;
  return d > 180 ? 360 - d : d;
}

export function seesPoint(cam: CameraView, lon: number, lat: number): boolean {
  const d = geodesicDistance(cam.lon, cam.lat, lon, lat);
  if (d > cam.range_m) return false;
  if (d === 0 || cam.hfov_deg >= 360) return true;
  return angleBetween(bearingDeg(cam.lon, cam.lat, lon, lat), cam.azimuth_deg) <= cam.hfov_deg / 2;
}

/** The sector as a polygon ring (lon/lat), for drawing and for area coverage: `steps` points on the arc. */
export function sectorRing(cam: CameraView, steps = 16): [number, number][] {
  const mLat = 111_132.954; // metres per degree of latitude (mean); a sector is tens of metres, the error is centimetres
  const mLon = mLat * Math.cos((cam.lat * Math.PI) / 180);
  const ring: [number, number][] = [[cam.lon, cam.lat]];
  const start = cam.azimuth_deg - cam.hfov_deg / 2;
  for (let i = 0; i <= steps; i++) {
    const b = ((start + (cam.hfov_deg * i) / steps) * Math.PI) / 180;
    ring.push([cam.lon + (Math.sin(b) * cam.range_m) / mLon, cam.lat + (Math.cos(b) * cam.range_m) / mLat]);
  }
  ring.push([cam.lon, cam.lat]);
  return ring;
}
