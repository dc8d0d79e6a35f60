// A 4K wall draws the map at pixelRatio 1 (no CSS scaling, see WallMap), so every line, circle and label
// would be half the size it is on a 1080p wall, and the same area would be shown one zoom level deeper.
// Instead the style itself is scaled: sizes × k, and every zoom the style mentions (stops, layer ranges,
// zoom comparisons in filters) shifted by log2(k). A 3840×2160 wall then looks exactly like a 1920×1080
// one, only twice as big, which is what people at the back of the room need.
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';

/** Paint and layout properties that are lengths in screen pixels. */
const SIZE_PROPS = new Set([
  'text-size', 'text-halo-width', 'text-halo-blur', 'symbol-spacing', 'text-padding',
  'circle-radius', 'circle-stroke-width',
  'line-width', 'line-gap-width', 'line-offset', 'line-blur',
  'icon-halo-width',
]);

const COMPARISONS = new Set(['<', '<=', '>', '>=', '==', '!=']);

type Expr = unknown;

const isZoom = (e: Expr): boolean => Array.isArray(e) && e.length === 1 && e[0] === 'zoom';

/** Every place an expression tests the zoom, shifted by `dz` (filters, `case` conditions, stops). */
export function shiftZoom(e: Expr, dz: number): Expr {
  if (!Array.isArray(e) || dz === 0) return e;
  const [op, ...args] = e as [unknown, ...unknown[]];
  if (op === 'literal') return e;
  if ((op === 'interpolate' || op === 'interpolate-hcl' || op === 'interpolate-lab') && isZoom(args[1])) {
    const out: unknown[] = [op, args[0], args[1]];
    for (let i = 2; i < args.length; i += 2) out.push((args[i] as number) + dz, shiftZoom(args[i + 1], dz));
    return out;
  }
  if (op === 'step' && isZoom(args[0])) {
    const out: unknown[] = [op, args[0], shiftZoom(args[1], dz)];
    for (let i = 2; i < args.length; i += 2) out.push((args[i] as number) + dz, shiftZoom(args[i + 1], dz));
    return out;
  }
  if (typeof op === 'string' && COMPARISONS.has(op) && args.length === 2) {
    if (isZoom(args[0]) && typeof args[1] === 'number') return [op, args[0], args[1] + dz];
    if (isZoom(args[1]) && typeof args[0] === 'number') return [op, args[0] + dz, args[1]];
  }
  return [op, ...args.map((a) => shiftZoom(a, dz))];
}

/** A size value × k: numbers, arrays of numbers, and the outputs of interpolate/step/match/case. */
export function scaleSize(v: Expr, k: number): Expr {
  if (k === 1) return v;
  if (typeof v === 'number') return v * k;
  if (!Array.isArray(v)) return v;
  if (v.every((x) => typeof x === 'number')) return v.map((x) => (x as number) * k);
  const [op, ...args] = v as [unknown, ...unknown[]];
  switch (op) {
    case 'interpolate': {
      const out: unknown[] = [op, args[0], args[1]];
      for (let i = 2; i < args.length; i += 2) out.push(args[i], scaleSize(args[i + 1], k));
      return out;
    }
    case 'step': {
      const out: unknown[] = [op, args[0], scaleSize(args[1], k)];
      for (let i = 2; i < args.length; i += 2) out.push(args[i], scaleSize(args[i + 1], k));
      return out;
    }
    case 'match': {
      // input, then label/output pairs, then the fallback
      const out: unknown[] = [op, args[0]];
      for (let i = 1; i < args.length - 1; i += 2) out.push(args[i], scaleSize(args[i + 1], k));
      out.push(scaleSize(args[args.length - 1], k));
      return out;
    }
    case 'case': {
      const out: unknown[] = [op];
      for (let i = 0; i < args.length - 1; i += 2) out.push(args[i], scaleSize(args[i + 1], k));
      out.push(scaleSize(args[args.length - 1], k));
      return out;
    }
    default:
      // Any other expression yields a number from data, never from the zoom (which the style spec allows
      // only as the input of a top-level interpolate or step, handled above): multiplying it is valid.
      return ['*', v, k];
  }
}

function scaleProps(props: Record<string, unknown> | undefined, k: number, dz: number): Record<string, unknown> | undefined {
  if (!props) return props;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(props)) {
    const shifted = shiftZoom(value, dz);
    out[name] = SIZE_PROPS.has(name) ? scaleSize(shifted, k) : shifted;
  }
  return out;
}

export function scaleLayer(layer: LayerSpecification, k: number): LayerSpecification {
  if (k === 1) return layer;
  const dz = Math.log2(k);
  const l = { ...layer } as LayerSpecification & { paint?: Record<string, unknown>; layout?: Record<string, unknown>; filter?: unknown };
  l.paint = scaleProps(l.paint, k, dz);
  l.layout = scaleProps(l.layout, k, dz);
  if (l.filter !== undefined) l.filter = shiftZoom(l.filter, dz);
  if (l.minzoom !== undefined) l.minzoom = Math.min(24, l.minzoom + dz);
  if (l.maxzoom !== undefined) l.maxzoom = Math.min(24, l.maxzoom + dz);
  if (l.paint === undefined) delete l.paint;
  if (l.layout === undefined) delete l.layout;
  return l;
}

export function scaleStyle(style: StyleSpecification, k: number): StyleSpecification {
  if (k === 1) return style;
  return { ...style, layers: style.layers.map((l) => scaleLayer(l, k)) };
}

/** The wall's scale: 1 at 1920×1080, 2 at 3840×2160; the smaller side decides on other aspect ratios. */
export function wallScale(width: number, height: number): number {
  const k = Math.min(width / 1920, height / 1080);
  return Math.max(0.75, Math.min(4, Math.round(k * 100) / 100));
}
