// Small planar helpers for the generator (lon/lat treated locally as a plane: fine at district scale).
export type XY = [number, number];

export function pointInRing([x, y]: XY, ring: XY[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Metres per degree of longitude and latitude at a latitude. */
export function metresPerDegree(lat: number): XY {
  return [111_320 * Math.cos((lat * Math.PI) / 180), 110_574];
}

/**
 * The stretch of the outline that faces the river: vertices whose neighbour `probeM` metres towards
 * `bearingDeg` lies outside the district. The Yangtze runs SW→NE along Wuchang's north-west side.
 */
export function riverBank(ring: XY[], bearingDeg = 300, probeM = 400): XY[] {
  const [mx, my] = metresPerDegree(ring[0][1]);
  const b = (bearingDeg * Math.PI) / 180;
  const dx = (Math.sin(b) * probeM) / mx;
  const dy = (Math.cos(b) * probeM) / my;
  const facing = ring.map(([x, y]) => !pointInRing([x + dx, y + dy], ring));
  // Longest run of facing vertices, treating the ring as circular.
  let best: [number, number] = [0, 0];
  for (let i = 0; i < ring.length; i++) {
    if (!facing[i] || facing[(i - 1 + ring.length) % ring.length]) continue;
    let k = 0;
    while (k < ring.length && facing[(i + k) % ring.length]) k++;
    if (k > best[1]) best = [i, k];
  }
  return Array.from({ length: best[1] }, (_, k) => ring[(best[0] + k) % ring.length]);
}
