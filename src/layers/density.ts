// Case density as hexagon bins or a heatmap (deck.gl: src/layers/deck/density.ts).
import { densityRamp } from '../map/palette.ts';
import type { DeckLayerModule } from './types.ts';

const density: DeckLayerModule = {
  id: 'density',
  kind: 'deck',
  labelKey: 'layer.density',
  folder: 'city',
  data: ['cases'],
  treeOrder: 20,
  defaultVisible: false,
  options: 'densityMode',
  legend: () => [{ shape: 'ramp', color: densityRamp.map(([r, g, b]) => `rgb(${r},${g},${b})`), labelKey: 'legend.densityRamp' }],
};
export default density;
