// Decodes MVT bytes with the reference decoder (@mapbox/vector-tile) into plain layers and features.
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
