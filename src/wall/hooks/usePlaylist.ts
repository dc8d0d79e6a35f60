// Rotates through `count` views every `intervalMs`. While `pausedUntil` is ahead (an alarm is on screen)
// it holds; when the pause ends it moves on at once, so the map leaves the alarm for the next view.
import { useEffect, useRef, useState } from 'react';

export function usePlaylist(count: number, intervalMs: number, pausedUntil: number): { index: number; startedAt: number; paused: boolean } {
  const [state, setState] = useState(() => ({ index: 0, startedAt: Date.now() }));
  const hadViews = useRef(false);
  useEffect(() => {
    if (count === 0) return;
    // The first view gets its full interval from when the views arrived, not from when the page opened.
    if (!hadViews.current) {
      hadViews.current = true;
      setState({ index: 0, startedAt: Date.now() });
      return;
    }
    const now = Date.now();
    const advance = () => setState((s) => ({ index: (s.index + 1) % count, startedAt: Date.now() }));
    const due = pausedUntil > now ? pausedUntil : state.startedAt + intervalMs;
    const timer = setTimeout(advance, Math.max(0, due - now));
    return () => clearTimeout(timer);
  }, [count, intervalMs, pausedUntil, state]);
  return { index: count ? state.index % count : 0, startedAt: state.startedAt, paused: pausedUntil > Date.now() };
}
