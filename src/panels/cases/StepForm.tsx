// What a step needs before it can be sent, as the workflow table says (requires: note, reason, photos, and
// for dispatch the department, picked among the suggested ones).
// The form refuses to submit until those are given, so the server's 400 is the exception, not the way
// a user learns the rule.
import { useState, type FormEvent } from 'react';
import type { CaseAction, WorkflowRule } from '../../api/caseTypes.ts';
import { useI18n } from '../../i18n/index.tsx';
import { DepartmentPicker } from './DepartmentPicker.tsx';
import { PhotoPicker } from './PhotoPicker.tsx';

export interface StepInput {
  note?: string;
  reason?: string;
  photos: Blob[];
  department_code?: string;
}

interface Props {
  action: CaseAction;
  rule: WorkflowRule | undefined;
  label: string;
  /** The case stepped on: a dispatch asks for the departments that fit it. */
  caseId?: number;
  busy: boolean;
  onSubmit(input: StepInput): void;
  onCancel(): void;
}

export function StepForm({ action, rule, label, caseId, busy, onSubmit, onCancel }: Props) {
  const { t } = useI18n();
  const req = rule?.requires ?? {};
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [photos, setPhotos] = useState<Blob[]>([]);
  const [department, setDepartment] = useState('');
  const needPhotos = req.photos ?? 0;
  const ok = (!req.note || note.trim() !== '') && (!req.reason || reason.trim() !== '') && photos.length >= needPhotos && (!req.department || department !== '');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!ok) return;
    onSubmit({ note: note.trim() || undefined, reason: reason.trim() || undefined, photos, ...(req.department ? { department_code: department } : {}) });
  };

  return (
    <form className="step-form" onSubmit={submit} data-testid={`step-form-${action}`}>
      <h4>{label}</h4>
      {req.department && caseId !== undefined && <DepartmentPicker caseId={caseId} value={department} onChange={setDepartment} />}
      {req.reason && (
        <label className="step-field">
          <span>{t('step.reason')} *</span>
          <textarea rows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="step-reason" required />
        </label>
      )}
      <label className="step-field">
        <span>{req.note ? `${t('step.note')} *` : t('step.noteOptional')}</span>
        <textarea rows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} data-testid="step-note" required={!!req.note} />
      </label>
      {(needPhotos > 0 || action === 'handle') && (
        <PhotoPicker photos={photos} onChange={setPhotos} required={needPhotos} testId="step-photo" />
      )}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy || !ok} data-testid="step-submit">
          {busy && <span className="spinner" />} {label}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={busy}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
