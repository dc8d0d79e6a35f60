// A case's history: every step with who took it, when, the note and its photos, oldest first.
import type { CaseTransition } from '../../api/caseTypes.ts';
import { useI18n } from '../../i18n/index.tsx';
import { statusLabel } from './labels.ts';
import './cases.css';

export function CaseTimeline({ transitions }: { transitions: CaseTransition[] }) {
  const { t, tr, date } = useI18n();
  if (!transitions.length) return <p className="muted">{t('cases.noHistory')}</p>;
  return (
    <ol className="timeline case-timeline" data-testid="case-timeline">
      {transitions.map((s, i) => (
        <li key={`${s.at}-${i}`} className={`timeline-step status-${s.to_status}`} data-testid="case-step" data-status={s.to_status}>
          <span className="timeline-dot" aria-hidden="true" />
          <div className="timeline-body">
            <div>
              <strong>{statusLabel(tr, s.to_status)}</strong>
              {s.actor && <span className="muted"> · {s.actor}</span>}
            </div>
            <div className="muted timeline-at">{date(s.at)}</div>
            {s.note && <p className="timeline-note">{s.note}</p>}
            {s.photos.length > 0 && (
              <div className="photo-row">
                {s.photos.map((p, k) => (
                  <a key={p} href={p} target="_blank" rel="noreferrer" className="photo-thumb">
                    <img src={p} alt={t('photo.thumb', { n: k + 1 })} loading="lazy" />
                  </a>
                ))}
              </div>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
