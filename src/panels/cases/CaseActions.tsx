// The steps the logged-in account may take on a case now (the server lists them in `actions`). A step
// without requirements goes at once; one that needs a note, a reason or photos opens its form first.
// How a step is sent is the caller's: straight to the server on the desktop, through the outbox in the field.
import { useState } from 'react';
import type { Catalogue, CaseAction } from '../../api/caseTypes.ts';
import { useI18n } from '../../i18n/index.tsx';
import { actionLabel } from './labels.ts';
import { ruleOf } from './useCatalogue.ts';
import { StepForm, type StepInput } from './StepForm.tsx';
import './cases.css';

/** Steps that turn a case back or away: drawn as secondary buttons so the usual next step stands out. */
const BACKWARD: ReadonlySet<CaseAction> = new Set(['reject', 'return', 'rework', 'suspend']);

interface Props {
  actions: CaseAction[];
  catalogue: Catalogue | null;
  /** The case: a dispatch's form asks which departments fit it. */
  caseId?: number;
  /** Rejects with an Error whose message is shown (the server's {message}). */
  onStep(action: CaseAction, input: StepInput): Promise<void>;
}

export function CaseActions({ actions, catalogue, caseId, onStep }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const [open, setOpen] = useState<CaseAction | null>(null);
  const [busy, setBusy] = useState<CaseAction | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (action: CaseAction, input: StepInput) => {
    setBusy(action);
    setError(null);
    try {
      await onStep(action, input);
      setOpen(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const needsForm = (a: CaseAction) => {
    const r = ruleOf(catalogue, a)?.requires ?? {};
    return !!(r.note || r.reason || r.photos || r.department) || a === 'handle';
  };

  if (!actions.length) return <p className="muted" data-testid="no-actions">{t('cases.noActions')}</p>;
  return (
    <div className="case-actions" data-testid="case-actions">
      {open ? (
        <StepForm action={open} rule={ruleOf(catalogue, open)} label={actionLabel(i18n, catalogue, open)} caseId={caseId} busy={busy !== null}
          onSubmit={(input) => void run(open, input)} onCancel={() => setOpen(null)} />
      ) : (
        <div className="action-buttons">
          {actions.map((a) => (
            <button key={a} type="button" className={`button${BACKWARD.has(a) ? '' : ' primary'}`} data-testid={`action-${a}`}
              disabled={busy !== null} onClick={() => (needsForm(a) ? setOpen(a) : void run(a, { photos: [] }))}>
              {busy === a && <span className="spinner" />} {actionLabel(i18n, catalogue, a)}
            </button>
          ))}
        </div>
      )}
      {error && <p className="inline-error" role="alert" data-testid="step-error">{error}</p>}
    </div>
  );
}
