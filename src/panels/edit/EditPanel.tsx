// Editing on the map for planners and admins (loaded on first use): choose a layer, click the map to add a
// feature or click one to edit it, drag it to move it, turn a camera by its handle or by degrees, save or
// delete. The server checks and audits every change (/api/edit); a change made meanwhile by someone else
// is refused (409) and the feature is read again. After a save the layer's tiles are asked for again, so
// the map, the cameras' fields of view and the coverage follow.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { EDIT_LAYERS, type EditLayer } from '../../../common/enums.ts';
import type { CoverageChange, EditedFeature } from '../../../common/api/edit.ts';
import { ApiError, sendJson } from '../../api/client.ts';
import type { SessionUser } from '../../api/caseTypes.ts';
import { useSession } from '../../api/session.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useMapHandle } from '../../map/MapContext.ts';
import { reloadLayerTiles } from '../../map/tileSources.ts';
import { LoginForm } from '../auth/LoginForm.tsx';
import { Icon } from '../Icon.tsx';
import { fieldLabel, formatValue } from '../format.ts';
import { EditMap } from './editMap.ts';
import { bodyFields, EDIT_FIELDS, NEW_VALUES, type FormValues } from './fields.ts';

interface Props {
  onClose(): void;
  /** Makes the layer visible on the map (its features are clicked to edit them). */
  onShowLayer(layer: EditLayer): void;
}

interface Draft {
  /** null: a new feature, not saved yet. */
  id: number | null;
  version: string | null;
  lon: number;
  lat: number;
  moved: boolean;
  values: FormValues;
  /** The saved values (null for a new feature): only what differs is sent. */
  was: FormValues | null;
}

type Note = { kind: 'saved' | 'deleted'; coverage?: CoverageChange } | { kind: 'error'; message: string; stale?: boolean } | null;

const api = (layer: EditLayer, id?: number) => `/api/edit/${layer}${id === undefined ? '' : `/${id}`}`;
const ifMatch = (d: Draft) => ({ 'if-match': `"${d.version}"` });

function draftOf(f: EditedFeature): Draft {
  const values = Object.fromEntries(Object.entries(f.properties).map(([k, v]) => [k, v === null || v === undefined ? '' : v as string | number]));
  return { id: f.id, version: f.version, lon: f.lon, lat: f.lat, moved: false, values, was: values };
}

const num = (v: unknown, d: number) => (v === '' || v === null || v === undefined || Number.isNaN(Number(v)) ? d : Number(v));

export default function EditPanel({ onClose, onShowLayer }: Props) {
  const i = useI18n();
  const { t } = i;
  const { map } = useMapHandle();
  const { session, loggedIn } = useSession();
  const user = session.state === 'user' ? session.user : null;
  const allowed = user?.role === 'planner' || user?.role === 'admin';
  const [layer, setLayer] = useState<EditLayer>('cameras');
  const [draft, setDraft] = useState<Draft | null>(null);
  const [note, setNote] = useState<Note>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const editMap = useRef<EditMap | null>(null);
  const layerRef = useRef(layer);
  layerRef.current = layer;

  const load = async (id: number) => {
    setNote(null);
    setConfirming(false);
    try {
      setDraft(draftOf(await sendJson<EditedFeature>('GET', api(layerRef.current, id))));
    } catch (e) {
      setNote({ kind: 'error', message: (e as Error).message });
    }
  };

  useEffect(() => {
    if (!map || !allowed) return;
    const m = new EditMap(map, layerRef.current, {
      onPick: (id) => void load(id),
      onPlace: (lon, lat) => {
        setNote(null);
        setConfirming(false);
        setDraft((d) => (d && d.id === null ? { ...d, lon, lat } : { id: null, version: null, lon, lat, moved: false, values: { ...NEW_VALUES[layerRef.current] }, was: null }));
      },
      onMove: (lon, lat) => setDraft((d) => (d ? { ...d, lon, lat, moved: true } : d)),
      onHeading: (deg) => setDraft((d) => (d ? { ...d, values: { ...d.values, azimuth_deg: deg } } : d)),
    });
    editMap.current = m;
    return () => {
      m.destroy();
      editMap.current = null;
    };
  }, [map, allowed]);

  useEffect(() => {
    editMap.current?.setLayer(layer);
    if (allowed) onShowLayer(layer);
    setDraft(null);
    setNote(null);
  }, [layer, allowed]);

  // The marker, and a camera's view, follow the form.
  useEffect(() => {
    const v = draft?.values;
    editMap.current?.show(draft && v ? {
      lon: draft.lon, lat: draft.lat,
      view: layer === 'cameras' ? { azimuth: num(v.azimuth_deg, 0) % 360, hfov: num(v.hfov_deg, 60), range_m: num(v.range_m, 50) } : undefined,
    } : null);
  }, [draft, layer]);

  const refreshTiles = () => {
    if (map) reloadLayerTiles(map, [layer]);
  };

  const failed = (e: unknown) => {
    const stale = e instanceof ApiError && e.status === 409 && draft?.id !== null;
    setNote({ kind: 'error', message: stale ? t('edit.stale') : (e as Error).message, stale });
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    setBusy(true);
    setNote(null);
    try {
      const fields = bodyFields(layer, draft.values, draft.was);
      const position = draft.id === null || draft.moved ? { lon: draft.lon, lat: draft.lat } : {};
      if (draft.id !== null && !Object.keys(fields).length && !draft.moved) return;
      const saved = draft.id === null
        ? await sendJson<EditedFeature>('POST', api(layer), { ...position, ...fields })
        : await sendJson<EditedFeature>('PATCH', api(layer, draft.id), { ...position, ...fields }, ifMatch(draft));
      setDraft(draftOf(saved));
      setNote({ kind: 'saved', coverage: saved.coverage });
      refreshTiles();
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!draft || draft.id === null) return;
    setBusy(true);
    try {
      await sendJson('DELETE', api(layer, draft.id), undefined, ifMatch(draft));
      setDraft(null);
      setConfirming(false);
      setNote({ kind: 'deleted' });
      refreshTiles();
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  };

  const set = (name: string, value: string) => setDraft((d) => (d ? { ...d, values: { ...d.values, [name]: value } } : d));

  return (
    <aside className="panel tool-panel edit-panel" data-testid="edit-panel">
      <header className="panel-header">
        <h2>{t('edit.title')}</h2>
        <div className="header-actions">
          <button type="button" className="icon-button" onClick={onClose} title={t('common.close')} aria-label={t('common.close')} data-testid="edit-close">
            <Icon name="close" />
          </button>
        </div>
      </header>
      <div className="panel-body">
        {session.state === 'checking' && <p className="muted"><span className="spinner" /></p>}
        {session.state === 'anonymous' && <LoginForm hint={t('edit.loginHint')} onLoggedIn={(a) => loggedIn(a as SessionUser)} />}
        {user && !allowed && <p className="inline-error" role="alert" data-testid="edit-refused"><Icon name="warning" /> {t('edit.notAllowed', { role: t(`role.${user.role}`) })}</p>}
        {allowed && (
          <>
            <fieldset className="layer-choice" data-testid="edit-layers">
              <legend>{t('edit.layer')}</legend>
              {EDIT_LAYERS.map((l) => (
                <label key={l} className="chip">
                  <input type="radio" name="edit-layer" checked={layer === l} onChange={() => setLayer(l)} data-testid={`edit-layer-${l}`} />
                  {t(`kind.${l}`)}
                </label>
              ))}
            </fieldset>
            <p className="tool-hint" data-testid="edit-hint">{t(draft ? (draft.id === null ? 'edit.hintNew' : 'edit.hintEdit') : 'edit.hintStart')}</p>
            {draft && (
              <form className="edit-form" onSubmit={(e) => void save(e)} data-testid="edit-form" data-feature-id={draft.id ?? ''}>
                <div className="edit-position muted" data-testid="edit-position">
                  {draft.id === null ? t('edit.new') : `${t(`kind.${layer}`)} ${draft.id}`} · {draft.lon.toFixed(6)}, {draft.lat.toFixed(6)}
                </div>
                {EDIT_FIELDS[layer].map((f) => (
                  <label key={f.name} className="edit-field">
                    <span>{fieldLabel(f.name, i)}{f.required ? ' *' : ''}</span>
                    {f.type === 'select' ? (
                      <select value={String(draft.values[f.name] ?? '')} onChange={(e) => set(f.name, e.currentTarget.value)} data-testid={`edit-field-${f.name}`}>
                        {f.options!.map((o) => (
                          <option key={o} value={String(o)}>{f.name === 'code' ? `${o} ${i.tr(`defect.${o}`, '')}` : formatValue(f.name, f.name === 'grade' ? o : String(o), i)}</option>
                        ))}
                      </select>
                    ) : (
                      <input type={f.type} value={String(draft.values[f.name] ?? '')} required={f.required && draft.id === null} min={f.min} max={f.max} step={f.step}
                        onChange={(e) => set(f.name, e.currentTarget.value)} data-testid={`edit-field-${f.name}`} />
                    )}
                  </label>
                ))}
                {layer === 'cameras' && <p className="muted small-text">{t('edit.headingHint')}</p>}
                <div className="edit-actions">
                  <button type="submit" className="button small primary" disabled={busy} data-testid="edit-save">{busy ? <span className="spinner" /> : null}{t('edit.save')}</button>
                  <button type="button" className="button small" disabled={busy} onClick={() => { setDraft(null); setNote(null); }} data-testid="edit-cancel">{t('edit.cancel')}</button>
                  {draft.id !== null && !confirming && (
                    <button type="button" className="button small danger" disabled={busy} onClick={() => setConfirming(true)} data-testid="edit-delete">{t('edit.delete')}</button>
                  )}
                </div>
                {confirming && (
                  <div className="edit-confirm" role="alertdialog" data-testid="edit-confirm">
                    <span>{t('edit.confirmDelete', { what: `${t(`kind.${layer}`)} ${draft.id}` })}</span>
                    <button type="button" className="button small danger" disabled={busy} onClick={() => void remove()} data-testid="edit-confirm-delete">{t('edit.delete')}</button>
                    <button type="button" className="button small" onClick={() => setConfirming(false)}>{t('edit.cancel')}</button>
                  </div>
                )}
              </form>
            )}
            {note?.kind === 'saved' && (
              <p className="edit-note" data-testid="edit-saved">
                {t('edit.saved')}
                {note.coverage && ` ${t('edit.coverage', { grids: i.num(note.coverage.grids.length), change: signedM2(note.coverage, i.num) })}`}
              </p>
            )}
            {note?.kind === 'deleted' && <p className="edit-note" data-testid="edit-deleted">{t('edit.deleted')}</p>}
            {note?.kind === 'error' && (
              <p className="inline-error" role="alert" data-testid="edit-error">
                <Icon name="warning" /> {note.message}{' '}
                {note.stale && draft?.id != null && <button type="button" className="link-button" onClick={() => void load(draft.id!)}>{t('edit.reload')}</button>}
              </p>
            )}
          </>
        )}
      </div>
    </aside>
  );
}

/** The change of covered area over the grids a camera change touched: "+120 m²". */
function signedM2(c: CoverageChange, num: (n: number) => string): string {
  const d = Math.round(c.grids.reduce((s, g) => s + g.after_m2 - g.before_m2, 0));
  return `${d >= 0 ? '+' : '−'}${num(Math.abs(d))} m²`;
}
