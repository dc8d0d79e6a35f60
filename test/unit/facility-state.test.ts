import { describe, expect, it } from 'vitest';
import { applyReport, EMPTY_STATE } from '../../server/domain/facility-state.ts';

describe('facility state reports', () => {
  it('changes only what a report gives', () => {
    const a = applyReport('lake', EMPTY_STATE, { water_level_m: 19.2, warning_level_m: 19.65, guarantee_level_m: 20.65 });
    expect(a).toEqual({ state: { ...EMPTY_STATE, water_level_m: 19.2, warning_level_m: 19.65, guarantee_level_m: 20.65 } });
    const b = applyReport('lake', (a as { state: typeof EMPTY_STATE }).state, { water_level_m: 19.8 });
    expect(b).toMatchObject({ state: { water_level_m: 19.8, warning_level_m: 19.65 } });
  });

  it('refuses a field the kind does not have', () => {
    expect(applyReport('lake', EMPTY_STATE, { open_pct: 10 })).toEqual({ error: 'a lake has no open_pct' });
    expect(applyReport('flood_gate', EMPTY_STATE, { flow_m3s: 1 })).toEqual({ error: 'a flood_gate has no flow_m3s' });
    expect(applyReport('outfall', EMPTY_STATE, { water_level_m: 1 })).toHaveProperty('error');
  });

  it('stopped pumps move nothing', () => {
    const running = { ...EMPTY_STATE, pump_status: 'running' as const, flow_m3s: 8, units_running: 2 };
    expect(applyReport('pumping_station', running, { pump_status: 'stopped' })).toMatchObject({ state: { flow_m3s: 0, units_running: 0 } });
    expect(applyReport('pumping_station', running, { pump_status: 'stopped', flow_m3s: 3 })).toHaveProperty('error');
  });

  it('keeps the guarantee level at or above the warning level, whichever report moves it', () => {
    const s = { ...EMPTY_STATE, warning_level_m: 19.65, guarantee_level_m: 20.65 };
    expect(applyReport('channel', s, { warning_level_m: 21 })).toHaveProperty('error');
    expect(applyReport('channel', s, { warning_level_m: 20.65 })).toHaveProperty('state');
  });
});
