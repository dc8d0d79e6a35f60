// 我反映过的: what waits in the outbox, then what was sent from this phone, each with its tracking link.
import { useI18n } from '../i18n/index.tsx';
import type { CitizenItem } from '../outbox/types.ts';
import { myReports, trackUrl } from './myReports.ts';

export function MyReportsList({ pending, onDiscard }: { pending: readonly CitizenItem[]; onDiscard(id: string): void }) {
  const { t, date } = useI18n();
  const sent = myReports();
  if (!pending.length && !sent.length) return null;
  return (
    <section className="cz-card" data-testid="cz-mine">
      <h2>{t('citizen.mine')}</h2>
      <ul className="cz-mine">
        {pending.map((i) => (
          <li key={i.id} data-testid="cz-pending" data-id={i.id}>
            <span className="cz-tag">{t('citizen.pending')}</span> {i.kind === 'citizen-report' ? i.label : t('citizen.adding', { no: i.requestId })}
            <span className="muted"> · {date(i.createdAt, true)}</span>
            {i.failed && <>
              <span className="inline-error"> {t('citizen.failed', { error: i.error ?? '' })}</span>
              <button type="button" className="link-button" onClick={() => onDiscard(i.id)}>{t('citizen.discard')}</button>
            </>}
          </li>
        ))}
        {sent.map((r) => (
          <li key={r.no + String(r.at)} data-testid="cz-mine-item" data-no={r.no}>
            <a href={trackUrl(r)}>{r.no}</a> {r.label}
            <span className="muted"> · {date(r.at, true)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
