import { describe, expect, it } from 'vitest';
import { followState, wantedAlarms, type AlarmingState } from '../../server/domain/facility-alarms.ts';

const calm: AlarmingState = { water_level_m: 19.2, level_state: 'normal', pump_status: 'running', gate_status: 'normal' };

describe('facility alarms', () => {
  it('a level past 警戒 is a warning, past 保证 an alarm; a pump or gate fault an alarm; nothing else alarms', () => {
    expect(wantedAlarms(calm)).toEqual([]);
    expect(wantedAlarms({ ...calm, level_state: null, water_level_m: null })).toEqual([]);
    expect(wantedAlarms({ ...calm, level_state: 'warning', water_level_m: 19.8 })).toEqual([{ cause: 'level', level: 'warning', value: 19.8 }]);
    expect(wantedAlarms({ ...calm, level_state: 'guarantee', water_level_m: 20.9 })).toEqual([{ cause: 'level', level: 'alarm', value: 20.9 }]);
    expect(wantedAlarms({ ...calm, pump_status: 'fault', gate_status: 'fault' })).toEqual([
      { cause: 'pump_fault', level: 'alarm', value: null }, { cause: 'gate_fault', level: 'alarm', value: null }]);
    expect(wantedAlarms({ ...calm, pump_status: 'stopped' })).toEqual([]);
  });

  it('raises once, follows the level up and back with its peak, and clears below 警戒', () => {
    const rising = { ...calm, level_state: 'warning' as const, water_level_m: 19.8 };
    expect(followState([], rising)).toEqual({ raise: [{ cause: 'level', level: 'warning', value: 19.8 }], update: [], clear: [] });
    const active = { id: '7', cause: 'level' as const, level: 'warning' as const, peak_value: 19.8 };
    // The same state again changes nothing: one alarm per cause.
    expect(followState([active], rising)).toEqual({ raise: [], update: [], clear: [] });
    expect(followState([active], { ...calm, level_state: 'guarantee', water_level_m: 20.9 }).update).toEqual([{ id: '7', level: 'alarm', peak_value: 20.9 }]);
    const high = { ...active, level: 'alarm' as const, peak_value: 20.9 };
    // Back under 保证 but over 警戒: a warning again, the peak kept.
    expect(followState([high], { ...rising, water_level_m: 20 }).update).toEqual([{ id: '7', level: 'warning', peak_value: 20.9 }]);
    expect(followState([high], { ...calm, water_level_m: 19.3 })).toEqual({ raise: [], update: [], clear: [{ id: '7', value: 19.3 }] });
  });

  it('a fault clears when it is reported gone, whatever the level does', () => {
    const fault = { id: '9', cause: 'pump_fault' as const, level: 'alarm' as const, peak_value: null };
    expect(followState([fault], { ...calm, pump_status: 'fault', level_state: 'warning', water_level_m: 19.9 }))
      .toEqual({ raise: [{ cause: 'level', level: 'warning', value: 19.9 }], update: [], clear: [] });
    expect(followState([fault], { ...calm, pump_status: 'stopped' })).toEqual({ raise: [], update: [], clear: [{ id: '9', value: null }] });
  });
});
