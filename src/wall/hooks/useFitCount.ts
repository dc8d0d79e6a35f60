// How many rows of a list fit its box: the wall cannot scroll, so a list shows what fits and counts the rest.
// Measured from the box and a rendered row (rows are of one height), again whenever the box changes size.
import { useEffect, useState, type RefObject } from 'react';

export function useFitCount(box: RefObject<HTMLElement | null>, fallback: number, rows: number): number {
  const [fit, setFit] = useState(fallback);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => {
      const row = el.firstElementChild as HTMLElement | null;
      if (!row) return;
      const gap = parseFloat(getComputedStyle(el).rowGap) || 0;
      const n = Math.max(1, Math.floor((el.clientHeight + gap) / (row.offsetHeight + gap)));
      setFit((prev) => (prev === n ? prev : n));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [box, rows > 0]);
  return fit;
}
