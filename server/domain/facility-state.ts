// What a facility's operating state may be, and how a report changes it: pure, no I/O. A report gives some
// fields; the rest stay as last reported. Which fields a kind may report is stated here once.
import type { FACILITY_GATE_STATUSES, FACILITY_KINDS, FACILITY_PUMP_STATUSES } from '../../common/enums.ts';

type Kind = (typeof FACILITY_KINDS)[number];

export interface FacilityState {
  open_pct: number | null;
  gate_status: (typeof FACILITY_GATE_STATUSES)[number] | null;
  pump_status: (typeof FACILITY_PUMP_STATUSES)[number] | null;
  flow_m3s: number | null;
  units_running: number | null;
  water_level_m: number | null;
  warning_level_m: number | null;
  guarantee_level_m: number | null;
}
export type StateReport = Partial<FacilityState>;

export const EMPTY_STATE: FacilityState = {
  open_pct: null, gate_status: null, pump_status: null, flow_m3s: null, units_running: null, water_level_m: null, warning_level_m: null, guarantee_level_m: null,
};

const GATE = ['open_pct', 'gate_status'] as const;
const PUMP = ['pump_status', 'flow_m3s', 'units_running'] as const;
const LEVEL = ['water_level_m', 'warning_level_m', 'guarantee_level_m'] as const;

/** The fields each kind reports: a gate its opening, a station its pumps, and those on water their levels (a gate's and a station's the water outside). */
export const STATE_FIELDS: Record<Kind, readonly (keyof FacilityState)[]> = {
  flood_gate: [...GATE, ...LEVEL],
  pumping_station: [...PUMP, ...LEVEL],
  lake: LEVEL,
  channel: LEVEL,
  waterlogging_point: LEVEL,
  outfall: [],
  wwtp: [],
};

/** The state after a report, or why the report cannot be (a field the kind does not have, levels out of order). */
export function applyReport(kind: Kind, prev: FacilityState, report: StateReport): { state: FacilityState } | { error: string } {
  const allowed = STATE_FIELDS[kind];
  const given = (Object.keys(report) as (keyof FacilityState)[]).filter((k) => report[k] !== undefined);
  const wrong = given.filter((k) => !allowed.includes(k));
  if (wrong.length) return { error: `a ${kind} has no ${wrong.join(', ')}` };
  const state = { ...prev, ...Object.fromEntries(given.map((k) => [k, report[k]])) } as FacilityState;
  // Stopped pumps move nothing: a feed that says only "stopped" means no flow and no unit running.
  if (report.pump_status === 'stopped') {
    if ((report.flow_m3s ?? 0) > 0 || (report.units_running ?? 0) > 0) return { error: 'stopped pumps cannot have a flow or units running' };
    state.flow_m3s = 0;
    state.units_running = 0;
  }
  if (state.warning_level_m != null && state.guarantee_level_m != null && state.guarantee_level_m < state.warning_level_m) {
    return { error: `the guarantee level (${state.guarantee_level_m} m) is below the warning level (${state.warning_level_m} m)` };
  }
  return { state };
}
