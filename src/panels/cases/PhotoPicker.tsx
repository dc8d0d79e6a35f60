// Photos for a report or a step: the phone opens its camera (capture="environment", the back camera);
// a desktop opens a file chooser. Each picture is shrunk for the network (photos.ts) and shown as a
// thumbnail that can be removed again.
import { useEffect, useId, useMemo, useState } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import { preparePhoto } from './photos.ts';
import './cases.css';

interface Props {
  photos: Blob[];
  onChange(photos: Blob[]): void;
  /** How many the step needs (shown, and the form checks it). */
  required?: number;
  max?: number;
  testId?: string;
}

export function PhotoPicker({ photos, onChange, required = 0, max = 6, testId = 'photo' }: Props) {
  const { t } = useI18n();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const urls = useMemo(() => photos.map((p) => URL.createObjectURL(p)), [photos]);
  useEffect(() => () => urls.forEach((u) => URL.revokeObjectURL(u)), [urls]);

  const add = async (files: FileList | null) => {
    if (!files?.length) return;
    setBusy(true);
    setError(null);
    const out: Blob[] = [];
    for (const f of [...files].slice(0, max - photos.length)) {
      try {
        out.push(await preparePhoto(f));
      } catch {
        setError(t('photo.unreadable'));
      }
    }
    setBusy(false);
    if (out.length) onChange([...photos, ...out]);
  };

  return (
    <div className="photo-picker" data-testid={`${testId}-picker`}>
      <div className="photo-row">
        {urls.map((u, i) => (
          <figure key={u} className="photo-thumb">
            <img src={u} alt={t('photo.thumb', { n: i + 1 })} />
            <button type="button" className="photo-remove" aria-label={t('photo.remove')} title={t('photo.remove')}
              onClick={() => onChange(photos.filter((_, k) => k !== i))}>×</button>
          </figure>
        ))}
        {photos.length < max && (
          <label className="photo-add" htmlFor={id}>
            {busy ? <span className="spinner" /> : <span aria-hidden="true">＋</span>}
            <span>{t('photo.take')}</span>
            <input id={id} type="file" accept="image/*" capture="environment" multiple data-testid={`${testId}-input`}
              onChange={(e) => {
                void add(e.currentTarget.files);
                e.currentTarget.value = '';
              }} />
          </label>
        )}
      </div>
      {required > 0 && <p className="muted photo-need">{t('photo.required', { n: required })}</p>}
      {error && <p className="inline-error" role="alert">{error}</p>}
    </div>
  );
}
