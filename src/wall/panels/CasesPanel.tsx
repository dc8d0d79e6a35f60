// Cases today and today's on-time closing rate, cases open and overdue; the newest case while it is new.
import { useI18n } from '../../i18n/index.tsx';
import type { CaseFigures } from '../state/counters.ts';
import { percent } from '../format.ts';
import { Kpi } from './Kpi.tsx';
import { WallPanel } from './WallPanel.tsx';

interface Props {
  figures: CaseFigures | null;
  /** The case number of a case reported in the last moments, or null. */
  latest: string | null;
}

export function CasesPanel({ figures: f, latest }: Props) {
  const { t, num } = useI18n();
  const n = (v: number | undefined) => (v === undefined ? '—' : num(v));
  return (
    <WallPanel needs={['cases']} title={t('wall.cases')} testId="panel-cases">
      <div className="wall-kpi-grid">
        <Kpi label={t('wall.casesToday')} text={n(f?.casesToday)} value={f?.casesToday ?? null} testId="kpi-cases-today" />
        <Kpi
          label={t('wall.onTimeRate')}
          text={percent(f?.onTimeRate, num, t('wall.noRate'))}
          value={f?.onTimeRate ?? null}
          sub={f ? t('wall.onTimeOf', { closed: num(f.closedToday), onTime: num(f.closedOnTimeToday) }) : undefined}
          tone={f?.onTimeRate === null || f?.onTimeRate === undefined ? 'muted' : f.onTimeRate >= 0.9 ? 'good' : 'warning'}
          testId="kpi-on-time"
        />
        <Kpi label={t('wall.casesOpen')} text={n(f?.casesOpen)} value={f?.casesOpen ?? null} size="medium" testId="kpi-cases-open" />
        <Kpi label={t('wall.casesOverdue')} text={n(f?.casesOverdue)} value={f?.casesOverdue ?? null} size="medium"
          tone={f && f.casesOverdue > 0 ? 'alarm' : 'neutral'} testId="kpi-cases-overdue" />
      </div>
      {latest && <div className="wall-latest" data-testid="latest-case">{t('wall.latestCase', { no: latest })}</div>}
    </WallPanel>
  );
}
