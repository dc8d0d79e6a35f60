// Camera fields of view at high zoom, over the camera layer (deck.gl: src/layers/deck/fov.ts).
import { layerColors } from '../map/palette.ts';
import type { DeckLayerModule } from './types.ts';

/** Below this zoom the camera tiles are clusters: there are no single cameras to draw sectors for. */
export const FOV_MIN_ZOOM = 16;

const fov: DeckLayerModule = {
  id: 'fov',
  kind: 'deck',
  labelKey: 'layer.fov',
  folder: 'iot',
  data: ['cameras'],
  treeOrder: 40,
  defaultVisible: true,
  parent: 'cameras',
  minzoom: FOV_MIN_ZOOM,
  legend: () => [{ shape: 'sector', color: layerColors.fov, labelKey: 'legend.fov' }],
};
export default fov;
