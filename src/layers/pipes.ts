import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import { gradeColors, gradeNoneColor, notInspectedColor, pipeColors } from '../map/palette.ts';
import { gradeColor, matchColor } from './filters.ts';
import type { LegendItem, PipeColorMode, StyleContext, TileLayerModule } from './types.ts';
import { formatValue } from '../panels/format.ts';

const source = 'pipes';
const sourceLayer = 'pipes';

const usageColor = matchColor('usage', {
  rain: pipeColors.rain,
  sewage: pipeColors.sewage,
  combined: pipeColors.combined,
}, pipeColors.unknown);

const isMain: ExpressionSpecification = ['==', ['get', 'network'], 'main'];
const isMerged: ExpressionSpecification = ['has', 'count'];

/**
 * Line colour for a mode. In a grade mode a reach shows its CJJ 181 grade Ⅰ–Ⅳ, grey when never inspected;
 * reaches merged per tile below z14 carry no grades and stay pale so the map does not claim "not inspected".
 */
export function pipeColor(mode: PipeColorMode): ExpressionSpecification {
  if (mode === 'usage') return usageColor;
  return ['case', isMerged, notInspectedColor, gradeColor(mode, gradeColors, gradeNoneColor, notInspectedColor)];
}

/** Main-road network reads first; community pipes are thinner and a little transparent. */
const width: ExpressionSpecification = [
  'interpolate', ['exponential', 1.5], ['zoom'],
  11, ['case', isMain, 1.4, 0.6],
  14, ['case', isMain, 2.6, 1.2],
  17, ['case', isMain, 5, 2.6],
  19, ['case', isMain, 9, 5],
];

const opacity = (mode: PipeColorMode): ExpressionSpecification =>
  mode === 'usage'
    ? ['case', isMain, 0.95, 0.75]
    : ['case', isMerged, 0.35, ['has', mode], 1, 0.55];

const layers = (ctx: StyleContext): LayerSpecification[] => [
  {
    id: 'pipes-line',
    type: 'line',
    source,
    'source-layer': sourceLayer,
    // Community pipes under main ones where they cross; in a grade mode the worst grades on top.
    layout: {
      'line-cap': 'round',
      'line-join': 'round',
      'line-sort-key': ctx.pipeColor === 'usage'
        ? ['case', isMain, 1, 0]
        : ['to-number', ['get', ctx.pipeColor], 0],
    },
    paint: {
      'line-color': pipeColor(ctx.pipeColor),
      'line-width': width,
      'line-opacity': opacity(ctx.pipeColor),
    },
  },
  {
    // Flow direction (from_node → to_node is the digitised direction) once pipes are long enough on screen.
    id: 'pipes-flow-arrows',
    type: 'symbol',
    source,
    'source-layer': sourceLayer,
    minzoom: 17,
    filter: ['!', ['has', 'count']],
    layout: {
      'symbol-placement': 'line',
      'symbol-spacing': 80,
      'text-field': '›',
      'text-size': 14,
      'text-keep-upright': false,
      'text-allow-overlap': true,
    },
    paint: { 'text-color': pipeColor(ctx.pipeColor), 'text-halo-color': ctx.base.halo, 'text-halo-width': 1 },
  },
];

function legend(ctx: StyleContext): LegendItem[] {
  if (ctx.pipeColor === 'usage') {
    return [
      { shape: 'line', color: pipeColors.rain, labelKey: 'legend.rain' },
      { shape: 'line', color: pipeColors.sewage, labelKey: 'legend.sewage' },
      { shape: 'line', color: pipeColors.combined, labelKey: 'legend.combined' },
    ];
  }
  return [
    { shape: 'line', color: gradeColors[0], labelKey: 'legend.grade1' },
    { shape: 'line', color: gradeColors[1], labelKey: 'legend.grade2' },
    { shape: 'line', color: gradeColors[2], labelKey: 'legend.grade3' },
    { shape: 'line', color: gradeColors[3], labelKey: 'legend.grade4' },
    { shape: 'line', color: notInspectedColor, labelKey: 'legend.notInspected' },
  ];
}

const pipes: TileLayerModule = {
  id: 'pipes',
  kind: 'tile',
  labelKey: 'layer.pipes',
  folder: 'drainage',
  data: ['pipes'],
  treeOrder: 10,
  drawOrder: 40,
  defaultVisible: true,
  options: 'pipeColor',
  layers,
  legend,
  features: {
    title: (p, i) => [p.code, p.usage && formatValue('usage', p.usage, i), p.diameter_mm && `DN${p.diameter_mm}`].filter(Boolean).join(' · '),
  },
};
export default pipes;
