// Rotates through `count` steps every `intervalMs`. While `pausedUntil` is ahead (an alarm is on screen)
// it holds; when the pause ends it moves on at once, so the map leaves the alarm for the next step. A new
// `key` (the wall drilled to another unit) starts again from the first step.
import { useEffect, useRef, useState } from 'react';

export function usePlaylist(count: number, intervalMs: number, pausedUntil: number, key = ''): { index: number; startedAt: number; paused: boolean } {
  const [state, setState] = useState(() => ({ index: 0, startedAt: Date.now(), key }));
  const hadSteps = useRef(false);
  if (state.key !== key) {
    hadSteps.current = false;
    setState({ index: 0, startedAt: Date.now(), key });
  }
  useEffect(() => {
    if (count === 0) return;
    // The first step gets its full interval from when the steps arrived, not from when the page opened.
    if (!hadSteps.current) {
      hadSteps.current = true;
      setState({ index: 0, startedAt: Date.now(), key });
      return;
    }
    const now = Date.now();
    const advance = () => setState((s) => ({ index: (s.index + 1) % count, startedAt: Date.now(), key: s.key }));
    const due = pausedUntil > now ? pausedUntil : state.startedAt + intervalMs;
    const timer = setTimeout(advance, Math.max(0, due - now));
    return () => clearTimeout(timer);
  }, [count, intervalMs, pausedUntil, state, key]);
  return { index: count ? state.index % count : 0, startedAt: state.startedAt, paused: pausedUntil > Date.now() };
}
