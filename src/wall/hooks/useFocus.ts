// The alarm(s) the map is showing, and until when: set by new alarms, ended by time or by their clearing.
import { useCallback, useEffect, useState } from 'react';
import type { AlarmList, WallAlarm } from '../state/alarms.ts';
import { focusAlive, focusOn, type Focus } from '../state/focus.ts';

export function useFocus(list: AlarmList): { focus: Focus | null; show(a: WallAlarm): void } {
  const [focus, setFocus] = useState<Focus | null>(null);
  const show = useCallback((a: WallAlarm) => setFocus((f) => focusOn(f, a, Date.now())), []);
  useEffect(() => {
    if (!focus) return;
    const alive = focusAlive(focus, list, Date.now());
    if (alive !== focus) {
      setFocus(alive);
      return;
    }
    const timer = setTimeout(() => setFocus((f) => (f === focus ? null : f)), focus.until - Date.now());
    return () => clearTimeout(timer);
  }, [focus, list]);
  return { focus, show };
}
