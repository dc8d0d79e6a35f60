import { useCallback, useEffect, useState } from 'react';
import type { Theme } from '../map/palette.ts';

const KEY = 'onemap.theme';

function initialTheme(): Theme {
  try {
    const stored = localStorage.getItem(KEY);
    if (stored === 'dark' || stored === 'light') return stored;
  } catch {
    /* storage blocked */
  }
  return 'light';
}

/** Light or dark, remembered per browser; the document root carries it for the CSS. */
export function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setState] = useState<Theme>(initialTheme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const set = useCallback((t: Theme) => {
    setState(t);
    try {
      localStorage.setItem(KEY, t);
    } catch {
      /* not persisted */
    }
  }, []);
  return [theme, set];
}
