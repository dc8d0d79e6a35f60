// /citizen/track/<number>?token=…: a report's progress as its reporter follows it — each status reached
// and when, in plain words (what Open311 shows publicly: never staff's notes) — and, once it is closed,
// the evaluation (满意 / 基本满意 / 不满意 and a comment), which counts in the satisfaction KPI. Without
// the token (a supplement's link), the public status only.
import { useCallback, useEffect, useState } from 'react';
import type { EvaluationLevel, ServiceRequest, Timeline } from '../../common/api/open311.ts';
import { ApiError } from '../api/client.ts';
import { open311 } from '../api/open311.ts';
import { useI18n } from '../i18n/index.tsx';
import { CategoryIconSvg, iconOf } from './categories.tsx';

const LEVELS: readonly EvaluationLevel[] = ['satisfied', 'basic', 'unsatisfied'];

export function TrackPage({ id, token }: { id: string; token: string | null }) {
  const { t, tr, date } = useI18n();
  const [request, setRequest] = useState<ServiceRequest | null>(null);
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'missing' | 'error'>('loading');
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [r, tl] = await Promise.all([open311.one(id), token ? open311.timeline(id, token) : Promise.resolve(null)]);
      setRequest(r);
      setTimeline(tl);
      setState('ready');
    } catch (e) {
      setState(e instanceof ApiError && e.status === 404 ? 'missing' : 'error');
      setMessage((e as Error).message);
    }
  }, [id, token]);

  useEffect(() => {
    void load();
    window.addEventListener('online', load);
    return () => window.removeEventListener('online', load);
  }, [load]);

  return (
    <main className="cz-page" data-testid="cz-track" data-state={state}>
      <a href="/citizen" className="link-button">‹ {t('citizen.track.back')}</a>
      <h2>{t('citizen.track.title')} · {id}</h2>
      {state === 'loading' && <span className="spinner" />}
      {state === 'missing' && <p className="inline-error" data-testid="cz-track-missing">{t('citizen.track.notFound')}</p>}
      {state === 'error' && <p className="inline-error">{message} <button type="button" className="link-button" onClick={() => void load()}>{t('common.retry')}</button></p>}
      {request && (
        <section className="cz-card" data-testid="cz-track-summary" data-status={request.status}>
          <div className="cz-chosen">
            <CategoryIconSvg icon={iconOf(request.service_code)} />
            <span><strong>{tr(`citizen.cat.${request.service_code}`, request.service_name)}</strong>
              <span className={`cz-tag ${request.status}`}> {t(`citizen.status.${request.status}`)}</span></span>
          </div>
          {request.address && <p className="muted">{request.address}</p>}
          {request.status === 'open' && request.expected_datetime && <p className="muted">{t('citizen.track.expected', { at: date(request.expected_datetime, true) })}</p>}
          <p className="cz-reply" data-testid="cz-status-notes">{request.status_notes}</p>
        </section>
      )}
      {!token && state === 'ready' && <p className="muted">{t('citizen.track.noToken')}</p>}
      {timeline && (
        <section className="cz-card">
          <ol className="cz-timeline" data-testid="cz-timeline">
            {timeline.steps.map((s, i) => (
              <li key={`${s.at}-${i}`} data-testid="cz-step" data-status={s.x_status} className={i === timeline.steps.length - 1 ? 'last' : ''}>
                <strong>{tr(`citizen.wf.${s.x_status}`, s.status_notes)}</strong>
                <span className="muted"> {date(s.at, true)}</span>
              </li>
            ))}
          </ol>
        </section>
      )}
      {timeline?.x_evaluation && (
        <section className="cz-card" data-testid="cz-evaluated" data-level={timeline.x_evaluation.x_level ?? ''}>
          <p>{t('citizen.eval.done', { level: t(`citizen.eval.${timeline.x_evaluation.x_level ?? (timeline.x_evaluation.satisfied ? 'satisfied' : 'unsatisfied')}`) })}</p>
          {timeline.x_evaluation.comment && <p className="muted">“{timeline.x_evaluation.comment}”</p>}
        </section>
      )}
      {timeline?.x_may_evaluate && token && <EvaluateForm id={id} token={token} onDone={() => void load()} />}
    </main>
  );
}

function EvaluateForm({ id, token, onDone }: { id: string; token: string; onDone(): void }) {
  const { t } = useI18n();
  const [level, setLevel] = useState<EvaluationLevel | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = async () => {
    if (!level) return;
    setBusy(true);
    setError(null);
    try {
      await open311.evaluate(id, token, level, comment);
      onDone();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="cz-card" data-testid="cz-evaluate">
      <h3>{t('citizen.eval.title')}</h3>
      <div className="cz-levels" role="radiogroup" aria-label={t('citizen.eval.title')}>
        {LEVELS.map((l) => (
          <button key={l} type="button" role="radio" aria-checked={level === l} className={`cz-level${level === l ? ' on' : ''} ${l}`}
            onClick={() => setLevel(l)} data-testid={`cz-level-${l}`}>{t(`citizen.eval.${l}`)}</button>
        ))}
      </div>
      <label className="cz-label">{t('citizen.eval.comment')}
        <textarea className="cz-input" rows={2} maxLength={2000} value={comment} onChange={(e) => setComment(e.currentTarget.value)} data-testid="cz-eval-comment" />
      </label>
      {error && <p className="inline-error" role="alert">{error}</p>}
      <button type="button" className="button primary big" disabled={!level || busy} onClick={() => void send()} data-testid="cz-eval-send">{t('citizen.eval.send')}</button>
    </section>
  );
}
