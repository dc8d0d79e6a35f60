// 待发送: what is on the phone waiting for the connection (or refused by the server, with its reason and
// a choice to try again or drop it).
import { useI18n } from '../i18n/index.tsx';
import { actionLabel } from '../panels/cases/labels.ts';
import type { Catalogue } from '../api/caseTypes.ts';
import type { FieldItem } from '../outbox/types.ts';

interface Props {
  items: readonly FieldItem[];
  catalogue: Catalogue | null;
  online: boolean;
  onRetry(id: string): void;
  onDiscard(id: string): void;
  onLogin(): void;
}

export function PendingList({ items, catalogue, online, onRetry, onDiscard, onLogin }: Props) {
  const i18n = useI18n();
  const { t, date } = i18n;
  if (!items.length) return null;
  return (
    <section className="fm-pending" data-testid="field-pending">
      <h3>{t('outbox.title')} <span className="muted">({items.length})</span></h3>
      <p className="muted fm-small">{online ? t('outbox.sendingSoon') : t('outbox.offlineHint')}</p>
      <ul>
        {items.map((i) => (
          <li key={i.id} className={`fm-pending-item${i.failed ? ' failed' : ''}`} data-testid="pending-item" data-kind={i.kind} data-id={i.id}
            data-failed={!!i.failed}>
            <div>
              <span className="fm-tag pending">{i.failed ? t('outbox.failed') : t('outbox.pending')}</span>{' '}
              {i.kind === 'report'
                ? <strong>{t('outbox.report', { what: i.label })}</strong>
                : <strong>{t('outbox.step', { action: actionLabel(i18n, catalogue, i.action), no: i.caseNo })}</strong>}
            </div>
            <div className="muted fm-small">
              {date(i.createdAt)}
              {i.kind === 'report' && i.description && <> · <span data-testid="pending-description">{i.description}</span></>}
              {i.photos.length > 0 && <> · {t('outbox.photos', { n: i.photos.length })}</>}
            </div>
            {i.failed && i.error && <div className="inline-error">{i.error}</div>}
            {/* Offline, the reason is plain (the header says so); online, a failed try is worth a word. */}
            {!i.failed && online && i.attempts > 0 && <div className="muted fm-small">{t('outbox.willRetry')}</div>}
            {i.needsLogin && <button type="button" className="button small" onClick={onLogin}>{t('outbox.loginAgain')}</button>}
            {i.failed && (
              <div className="form-actions">
                <button type="button" className="button small" onClick={() => onRetry(i.id)}>{t('common.retry')}</button>
                <button type="button" className="button small danger" onClick={() => onDiscard(i.id)}>{t('outbox.discard')}</button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
