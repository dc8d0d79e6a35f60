// The window's size in CSS pixels, kept current: the wall's scale and the map's insets follow it.
import { useEffect, useState } from 'react';

export function useViewport(): { width: number; height: number } {
  const read = () => ({ width: window.innerWidth, height: window.innerHeight });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const on = () => setSize((prev) => {
      const next = read();
      return prev.width === next.width && prev.height === next.height ? prev : next;
    });
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return size;
}

/** The kiosk's "less motion" setting: no pulses, no flights (the map jumps). */
export function useReducedMotion(): boolean {
  const query = () => window.matchMedia?.('(prefers-reduced-motion: reduce)');
  const [reduced, setReduced] = useState(() => query()?.matches ?? false);
  useEffect(() => {
    const q = query();
    if (!q) return;
    const on = () => setReduced(q.matches);
    q.addEventListener('change', on);
    return () => q.removeEventListener('change', on);
  }, []);
  return reduced;
}
