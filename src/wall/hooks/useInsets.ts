// How much of the full-bleed map each side's panels cover, measured from the panels themselves, so that the
// map's padding (its visible middle) follows the CSS layout at every wall size without a second source of truth.
import { useEffect, useState, type RefObject } from 'react';
import type { PaddingOptions } from 'maplibre-gl';

interface Edges {
  top: RefObject<HTMLElement | null>;
  left: RefObject<HTMLElement | null>;
  right: RefObject<HTMLElement | null>;
  bottom: RefObject<HTMLElement | null>;
}

const ZERO: PaddingOptions = { top: 0, left: 0, right: 0, bottom: 0 };

export function useInsets(edges: Edges): PaddingOptions {
  const [insets, setInsets] = useState<PaddingOptions>(ZERO);
  useEffect(() => {
    const measure = () => {
      const w = window.innerWidth;
      const h = window.innerHeight;
      const r = (ref: RefObject<HTMLElement | null>) => ref.current?.getBoundingClientRect();
      const next: PaddingOptions = {
        top: Math.round(r(edges.top)?.bottom ?? 0),
        left: Math.round(r(edges.left)?.right ?? 0),
        right: Math.round(w - (r(edges.right)?.left ?? w)),
        bottom: Math.round(h - (r(edges.bottom)?.top ?? h)),
      };
      setInsets((prev) => (prev.top === next.top && prev.left === next.left && prev.right === next.right && prev.bottom === next.bottom ? prev : next));
    };
    measure();
    const ro = new ResizeObserver(measure);
    for (const ref of Object.values(edges)) if (ref.current) ro.observe(ref.current);
    window.addEventListener('resize', measure);
    return () => {
      ro.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, []);
  return insets;
}
