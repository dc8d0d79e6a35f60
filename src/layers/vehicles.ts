// GPS vehicles with their last hour's tracks, replayed (deck.gl: src/layers/deck/vehicles.ts).
import { vehicleColors } from '../map/palette.ts';
import type { DeckLayerModule } from './types.ts';

const vehicles: DeckLayerModule = {
  id: 'vehicles',
  kind: 'deck',
  labelKey: 'layer.vehicles',
  folder: 'city',
  data: ['vehicles'],
  treeOrder: 30,
  defaultVisible: false,
  options: 'playback',
  legend: () => [
    { shape: 'trail', color: vehicleColors.sanitation, labelKey: 'vehicle.sanitation' },
    { shape: 'trail', color: vehicleColors.drainage, labelKey: 'vehicle.drainage' },
    { shape: 'trail', color: vehicleColors.inspection, labelKey: 'vehicle.inspection' },
    { shape: 'trail', color: vehicleColors.emergency, labelKey: 'vehicle.emergency' },
    { shape: 'circle', color: vehicleColors.offline, labelKey: 'status.offline' },
  ],
};
export default vehicles;
