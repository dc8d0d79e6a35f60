// On-duty staff (网格员, 执法队员) who share their position, and devices with position and status, polled
// from GET /api/personnel (deck.gl: src/layers/deck/personnel.ts). Not a tile layer: tiles are public, and
// where people are is shown to dispatchers, commanders and admins only. The wall lists it by this id.
import { personnelColors } from '../map/palette.ts';
import type { DeckLayerModule } from './types.ts';

const personnel: DeckLayerModule = {
  id: 'personnel',
  kind: 'deck',
  labelKey: 'layer.personnel',
  folder: 'city',
  treeOrder: 35,
  defaultVisible: false,
  // Positions come live from the field app and the device feed, not from an import: never "not imported".
  data: [],
  legend: () => [
    { shape: 'circle', color: personnelColors.gridWorker, labelKey: 'staff.grid_worker' },
    { shape: 'circle', color: personnelColors.enforcer, labelKey: 'staff.enforcer' },
    { shape: 'circle', color: personnelColors.device, labelKey: 'personnel.devices' },
    { shape: 'circle', color: personnelColors.offline, labelKey: 'status.offline' },
  ],
};
export default personnel;
