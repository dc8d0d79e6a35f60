// Camera online rate per street: name, a bar on a band that separates good from bad (80–100 %), the
// percentage, and the last days as a sparkline. The street the map is showing is highlighted.
import { useI18n } from '../../i18n/index.tsx';
import type { StreetOnline } from '../../api/wall.ts';
import { percent } from '../format.ts';
import { Sparkline } from './Sparkline.tsx';

interface Props {
  units: readonly StreetOnline[];
  names: ReadonlyMap<string, string>;
  current: string | null;
}

const BAND_LO = 0.8;

export function StreetRates({ units, names, current }: Props) {
  const { num } = useI18n();
  return (
    <ol className="wall-streets" data-testid="street-rates">
      {units.map((u) => {
        // A street whose cameras all left it has history but no figures now.
        const rate = u.now?.online_rate ?? null;
        const w = rate === null ? 0 : Math.max(0, Math.min(1, (rate - BAND_LO) / (1 - BAND_LO)));
        const tone = rate === null ? 'muted' : rate >= 0.95 ? 'good' : rate >= 0.9 ? 'neutral' : 'warning';
        return (
          <li key={u.code} className={`wall-street tone-${tone}${u.code === current ? ' current' : ''}`} data-testid="street-rate" data-code={u.code} data-value={rate ?? ''}>
            <span className="wall-street-name">{names.get(u.code) ?? u.code}</span>
            <span className="wall-street-bar"><span style={{ width: `${(w * 100).toFixed(1)}%` }} /></span>
            <span className="wall-street-rate">{percent(rate, num)}</span>
            <Sparkline values={u.history.map((h) => h.online_rate)} lo={BAND_LO} hi={1} />
          </li>
        );
      })}
    </ol>
  );
}
