import type { ExpressionSpecification, FilterSpecification } from 'maplibre-gl';

/** Aggregated (cluster / low-zoom) features are the ones that carry a `count`. */
export const isAggregate: FilterSpecification = ['has', 'count'];
export const isRaw: FilterSpecification = ['!', ['has', 'count']];

export const isPolygon: FilterSpecification = ['==', ['geometry-type'], 'Polygon'];
export const isLine: FilterSpecification = ['==', ['geometry-type'], 'LineString'];
export const isPoint: FilterSpecification = ['==', ['geometry-type'], 'Point'];

export function all(...filters: FilterSpecification[]): FilterSpecification {
  return ['all', ...filters] as FilterSpecification;
}

/** `match` on a string property with a fallback colour (the tuple type cannot express a spread of pairs). */
export function matchColor(
  property: string,
  colors: Record<string, string>,
  fallback: string,
): ExpressionSpecification {
  const pairs = Object.entries(colors).flat();
  return ['match', ['get', property], ...pairs, fallback] as unknown as ExpressionSpecification;
}

/** Colour by a numeric CJJ 181 grade 1–4, with colours for "0 / no defect" and "missing". */
export function gradeColor(
  property: string,
  colors: readonly string[],
  none: string,
  missing: string,
): ExpressionSpecification {
  return [
    'case',
    ['!', ['has', property]], missing,
    ['match', ['to-number', ['get', property], 0], 1, colors[0], 2, colors[1], 3, colors[2], 4, colors[3], none],
  ] as unknown as ExpressionSpecification;
}
