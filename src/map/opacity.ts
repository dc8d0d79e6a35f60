// Layer opacity from the tree's slider: every opacity paint property of a style layer multiplied by a factor.
// A zoom curve must stay the top-level expression (MapLibre's rule), so its stop outputs are scaled instead.
import type { LayerSpecification } from 'maplibre-gl';

const OPACITY_PROPS: Record<string, string[]> = {
  fill: ['fill-opacity'],
  line: ['line-opacity'],
  circle: ['circle-opacity', 'circle-stroke-opacity'],
  symbol: ['text-opacity', 'icon-opacity'],
  heatmap: ['heatmap-opacity'],
  'fill-extrusion': ['fill-extrusion-opacity'],
  raster: ['raster-opacity'],
};

const round = (v: number) => Math.round(v * 1000) / 1000;

type Value = unknown;

function isZoomCurve(v: Value): v is unknown[] {
  if (!Array.isArray(v)) return false;
  if (v[0] === 'interpolate' || v[0] === 'interpolate-hcl' || v[0] === 'interpolate-lab') {
    return Array.isArray(v[2]) && v[2][0] === 'zoom';
  }
  return v[0] === 'step' && Array.isArray(v[1]) && v[1][0] === 'zoom';
}

/** `value` × `factor`, keeping a zoom curve at the top. */
export function scaleOpacity(value: Value, factor: number): Value {
  if (factor === 1) return value;
  if (value === undefined) return round(factor);
  if (typeof value === 'number') return round(value * factor);
  if (isZoomCurve(value)) {
    const out = [...value];
    if (out[0] === 'step') {
      // ['step', ['zoom'], v0, z1, v1, …]: outputs at index 2, 4, 6…
      for (let i = 2; i < out.length; i += 2) out[i] = scaleOpacity(out[i], factor);
    } else {
      // ['interpolate', type, ['zoom'], z1, v1, …]: outputs at index 4, 6…
      for (let i = 4; i < out.length; i += 2) out[i] = scaleOpacity(out[i], factor);
    }
    return out;
  }
  return ['*', value, round(factor)];
}

/** The layer with every opacity property scaled; unchanged when the factor is 1. */
export function withOpacity(layer: LayerSpecification, factor: number): LayerSpecification {
  if (factor === 1 || layer.type === 'background') return layer;
  const props = OPACITY_PROPS[layer.type] ?? [];
  const paint: Record<string, unknown> = { ...(layer as { paint?: Record<string, unknown> }).paint };
  for (const p of props) paint[p] = scaleOpacity(paint[p], factor);
  return { ...layer, paint } as LayerSpecification;
}
