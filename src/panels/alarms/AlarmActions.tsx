// What a logged-in account may do to one alarm (确认 / 指派 / 升级 / 关闭), with a note, and what was done
// (the history, on the desktop). The buttons are the server's `available` for this account, so the page
// never offers what the rules would refuse; the alarm's live event brings the change to every other page.
import { useCallback, useEffect, useState } from 'react';
import { alarmsApi, type AlarmAction, type AlarmDetails } from '../../api/alarms.ts';
import { ApiError, isAbort } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { HandlingBadges } from './HandlingBadges.tsx';

interface Props {
  alarmId: string;
  /** Changes when the alarm's live event says it changed: read again. */
  version?: string;
  /** The desktop shows the badges and who did what; the wall (whose item shows the badges) only the buttons. */
  history?: boolean;
  onDone?(d: AlarmDetails): void;
}

const NEEDS_NOTE: ReadonlySet<AlarmAction> = new Set(['escalate', 'close']);

export function AlarmActions({ alarmId, version, history = false, onDone }: Props) {
  const { t, tr, lang } = useI18n();
  const [d, setD] = useState<AlarmDetails | null>(null);
  const [hidden, setHidden] = useState(false);
  const [note, setNote] = useState('');
  const [assignee, setAssignee] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    alarmsApi.details(alarmId, ctrl.signal).then(setD, (e: unknown) => {
      if (isAbort(e)) return;
      // Not logged in, or gone: nothing to offer.
      if (e instanceof ApiError && (e.status === 401 || e.status === 404)) setHidden(true);
      else setError(e instanceof Error ? e.message : String(e));
    });
    return () => ctrl.abort();
  }, [alarmId, version]);

  const act = useCallback(async (action: AlarmAction) => {
    if (NEEDS_NOTE.has(action) && !note.trim()) { setError(t('alarm.noteNeeded')); return; }
    if (action === 'assign' && !assignee.trim()) { setError(t('alarm.assigneeNeeded')); return; }
    setBusy(true);
    setError(null);
    try {
      const next = await alarmsApi.act(alarmId, action, { note: note.trim() || undefined, assignee: action === 'assign' ? assignee.trim() : undefined });
      setD(next);
      setNote('');
      onDone?.(next);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }, [alarmId, note, assignee, onDone, t]);

  if (hidden) return null;
  if (!d) return error ? <p className="alarm-error" role="alert">{error}</p> : <p className="muted">{t('common.loading')}</p>;
  const when = (s: string) => new Date(s).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', hour12: false });
  return (
    <div className="alarm-actions" data-testid="alarm-actions" data-alarm-id={alarmId} data-handling={d.alarm.handling}>
      {history && <HandlingBadges handling={d.alarm.handling} unitLevel={d.alarm.unit_level} unitName={d.alarm.unit_name} supervised={d.alarm.supervised} />}
      {d.assignee && <div className="muted">{t('alarm.assignee')}: {d.assignee}</div>}
      {d.available.length > 0 && (
        <div className="alarm-action-form">
          {d.available.includes('assign') && (
            <input value={assignee} onChange={(e) => setAssignee(e.target.value)} placeholder={t('alarm.assigneePlaceholder')} maxLength={100}
              aria-label={t('alarm.assignee')} data-testid="alarm-assignee" />
          )}
          <input value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('alarm.notePlaceholder')} maxLength={2000}
            aria-label={t('alarm.note')} data-testid="alarm-note" />
          <div className="alarm-buttons">
            {d.available.map((a) => (
              <button key={a} type="button" disabled={busy} className={`alarm-btn alarm-btn-${a}`} data-testid={`alarm-${a}`} onClick={() => void act(a)}>
                {t(`alarm.action.${a}`)}
              </button>
            ))}
          </div>
        </div>
      )}
      {error && <p className="alarm-error" role="alert">{error}</p>}
      {history && d.actions.length > 0 && (
        <ol className="timeline" data-testid="alarm-history">
          {d.actions.map((x) => (
            <li key={x.id} className="timeline-step">
              <span className="timeline-dot" />
              <div>
                <div><strong>{t(`alarm.action.${x.action}`)}</strong>{x.auto ? ` · ${t('alarm.auto')}` : ''}
                  {x.from_level !== x.to_level ? ` · ${tr(`alarm.level.${x.from_level}`, x.from_level)} → ${tr(`alarm.level.${x.to_level}`, x.to_level)}` : ''}
                  {' '}<span className="muted">{when(x.at)}</span></div>
                <div className="muted">{[x.actor, x.assignee, x.note].filter(Boolean).join(' · ')}</div>
              </div>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
