// GPS vehicles from a fleet ledger (table vehicles): keyed by the plate, written without spaces or the
// middle dot (鄂A·12345 is 鄂A12345), upper case. The last position and its time when the ledger has them.
import { TARGETS } from '../shapes/targets/index.ts';
import { bearing, firstReason, outOfRange } from './checks.ts';
import { keyedTable } from './keyed-table.ts';
import { accept, refuse, type LayerModule } from './types.ts';

const target = TARGETS.vehicles;
const table = keyedTable({
  table: 'vehicles', key: 'plate', geom: 's.geom',
  columns: [
    { name: 'kind', sql: 'text' },
    { name: 'status', sql: 'text', insertDefault: `'on_duty'` },
    { name: 'speed_kmh', sql: 'real' },
    { name: 'heading_deg', sql: 'real' },
    { name: 'updated_at', sql: 'timestamptz' },
  ],
  requiredOnInsert: [{ column: 'kind', label: '车辆类型 kind' }],
});

/** A Chinese plate: a province character, a letter, then 5 (6 for new-energy) letters and digits, 挂/学/警 allowed at the end. */
const PLATE = /^[\u4e00-\u9fff][A-Z][A-Z0-9]{4,6}[\u4e00-\u9fff]?$/;

export const vehicles: LayerModule = {
  layer: 'vehicles',
  target,
  geometry: 'point',
  positionOptional: true,
  ...table,
  row({ values: v }) {
    const plate = String(v.plate).normalize('NFKC').toUpperCase().replace(/[\s·•.-]/g, '');
    if (!PLATE.test(plate)) return refuse(`plate ${JSON.stringify(String(v.plate).slice(0, 20))} is not a plate number (鄂A12345)`);
    const heading = bearing(v.heading_deg);
    const reason = firstReason(
      outOfRange(target, v, 'speed_kmh', { min: 0, max: 200 }),
      Number.isNaN(heading) ? outOfRange(target, v, 'heading_deg', { min: -360, max: 360 }) : null,
    );
    if (reason) return refuse(reason);
    return accept(plate, { kind: v.kind, status: v.status, speed_kmh: v.speed_kmh, heading_deg: heading, updated_at: v.updated_at });
  },
};
