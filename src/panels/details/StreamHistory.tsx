// A stream's chart with its period: the last 24 h come with the station's details; a week, a month or a
// year are asked for (GET /api/datastreams/{id}/series), answered by the server's hourly or daily roll-ups.
import { useEffect, useState } from 'react';
import type { Series } from '../../../common/api/history.ts';
import { api } from '../../api/endpoints.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { LineChart } from '../charts/LineChart.tsx';

const PERIODS = [
  { days: 1, key: 'series.day' },
  { days: 7, key: 'series.week' },
  { days: 30, key: 'series.month' },
  { days: 365, key: 'series.year' },
] as const satisfies readonly { days: number; key: MessageKey }[];

interface Props {
  id: number | null;
  /** The last 24 h, as the details carry them. */
  recent: readonly { t: string; value: number }[];
  unit: string;
  warn: number | null;
  alarm: number | null;
  label: string;
}

export function StreamHistory({ id, recent, unit, warn, alarm, label }: Props) {
  const { t } = useI18n();
  const [days, setDays] = useState(1);
  const [series, setSeries] = useState<Series | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    setSeries(null);
    setFailed(null);
    if (days === 1 || id === null) return;
    const abort = new AbortController();
    const to = new Date();
    api.series(id, new Date(to.getTime() - days * 86_400_000), to, abort.signal)
      .then(setSeries, (e: Error) => { if (!abort.signal.aborted) setFailed(e.message); });
    return () => abort.abort();
  }, [id, days]);
  const period = PERIODS.find((p) => p.days === days)!;
  return (
    <div className="stream-history" data-testid="stream-history" data-days={days} data-resolution={days === 1 ? 'raw' : series?.resolution ?? ''}>
      {id !== null && (
        <div className="segmented stream-periods" role="group" aria-label={t('series.period')}>
          {PERIODS.map((p) => (
            <button key={p.days} type="button" aria-pressed={p.days === days} data-testid={`stream-period-${p.days}`} onClick={() => setDays(p.days)}>
              {t(p.key)}
            </button>
          ))}
        </div>
      )}
      {failed ? <p className="chart-empty">{failed}</p>
        : days !== 1 && !series ? <p className="chart-empty">{t('series.loading')}</p>
        : (
          <LineChart points={days === 1 ? recent : series!.points} unit={unit} warn={warn} alarm={alarm}
            label={`${label} ${t(period.key)}${series && series.resolution !== 'raw' ? ` · ${t(series.resolution === 'hour' ? 'series.hourly' : 'series.daily')}` : ''}`} />
        )}
      {series && series.resolution !== 'raw' && <p className="muted chart-note">{t(series.resolution === 'hour' ? 'series.hourly' : 'series.daily')}</p>}
    </div>
  );
}
