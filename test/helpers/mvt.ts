// Decodes MVT bytes with the reference decoder (@mapbox/vector-tile) into plain layers and features; reads the
// data version a TileJSON's tile URL carries.
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';

export interface DecodedFeature {
  id: number | undefined;
  type: number;
  properties: Record<string, string | number | boolean>;
  geometry: { x: number; y: number }[][];
}

export function decodeTile(bytes: Uint8Array): Record<string, { extent: number; features: DecodedFeature[] }> {
  const tile = new VectorTile(new PbfReader(bytes));
  const out: Record<string, { extent: number; features: DecodedFeature[] }> = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    const features: DecodedFeature[] = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      features.push({ id: f.id, type: f.type, properties: f.properties as DecodedFeature['properties'], geometry: f.loadGeometry() });
    }
    out[name] = { extent: layer.extent, features };
  }
  return out;
}

/** The data version (`?v=`) in the tile URL of `spec`'s TileJSON ("pipes", "pipes,grids") on the server at `base`. */
export async function tileVersion(base: string, spec: string): Promise<string | null> {
  const { tiles } = await (await fetch(`${base}/tiles/${spec}.json`)).json() as { tiles: string[] };
  // The template's braces are not a URL's: dropped, the query parses.
  return new URL(tiles[0].replace(/[{}]/g, '')).searchParams.get('v');
}
