// 导入数据: the import of every layer. Pick the layer, then the network's form (a job followed until done)
// or a layer's (a dry run with its report and column mapping, then the commit). Earlier imports are listed
// below, to fly to or remove. Importing needs a planner's account: the dialog asks to log in when nobody is.
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/endpoints.ts';
import { isAbort } from '../../api/client.ts';
import type { Account, ImportLayer } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useMapHandle } from '../../map/MapContext.ts';
import { flyToBbox } from '../analysis/flyTo.ts';
import { LoginForm } from '../auth/LoginForm.tsx';
import { Icon } from '../Icon.tsx';
import { ImportHistory } from './ImportHistory.tsx';
import { LayerImport } from './LayerImport.tsx';
import { LayerPicker } from './LayerPicker.tsx';
import { NetworkImport } from './NetworkImport.tsx';
import { refreshDataLayers } from '../../api/dataLayers.ts';

const MAY_IMPORT = new Set<Account['role']>(['planner', 'admin']);

interface Props {
  /** The layer picked first (the layer tree's "not imported — import" opens the dialog on its layer). */
  layer?: ImportLayer;
  onClose(): void;
  /** Make sure the pipe and manhole layers are on, so the imported network shows. */
  onShowNetwork(): void;
}

export default function ImportDialog({ layer: first = 'pipes', onClose, onShowNetwork }: Props) {
  const { t, tr } = useI18n();
  const { map } = useMapHandle();
  const [layer, setLayer] = useState<ImportLayer>(first);
  const [busy, setBusy] = useState(false);
  const [historyVersion, setHistoryVersion] = useState(0);
  /** undefined while asking the server, null when nobody is logged in. */
  const [account, setAccount] = useState<Account | null | undefined>(undefined);
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    api.me(ctrl.signal).then((r) => setAccount(r.user)).catch((e: unknown) => !isAbort(e) && setAccount(null));
    return () => ctrl.abort();
  }, []);

  useEffect(() => {
    dialog.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const allowed = !!account && MAY_IMPORT.has(account.role);
  const imported = () => {
    setHistoryVersion((v) => v + 1);
    // The layer tree and the wall's notes of what is not loaded yet follow.
    refreshDataLayers();
  };
  const loggedOut = () => setAccount(null);

  const flyTo = (bbox: [number, number, number, number] | null) => {
    if (!map || !bbox) return;
    onShowNetwork();
    flyToBbox(map, bbox, 17);
    onClose();
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !busy && onClose()}>
      <div className={`panel modal import-dialog${layer === 'pipes' ? '' : ' wide'}`} role="dialog" aria-modal="true" aria-labelledby="import-title" tabIndex={-1} ref={dialog}
        data-testid="import-dialog" data-layer={layer}>
        <header className="panel-header">
          <h2 id="import-title"><Icon name="upload" /> {t('import.title')}</h2>
          <button type="button" className="icon-button" onClick={onClose} title={t('common.close')} aria-label={t('common.close')} data-testid="import-close">
            <Icon name="close" />
          </button>
        </header>
        <div className="panel-body">
          {account === null && <LoginForm hint={t('import.loginHint')} onLoggedIn={setAccount} />}
          {account && !allowed && (
            <p className="inline-error" role="alert" data-testid="import-forbidden">{t('import.wrongRole', { role: tr(`role.${account.role}`, account.role) })}</p>
          )}
          {account && allowed && <p className="muted account-line" data-testid="import-account">{t('import.as', { name: account.display_name || account.username })}</p>}
          <LayerPicker layer={layer} disabled={busy} onChange={setLayer} />
          {layer === 'pipes'
            ? <NetworkImport allowed={allowed} onBusy={setBusy} onLoggedOut={loggedOut} onImported={imported} onFly={flyTo} />
            : <LayerImport key={layer} layer={layer} allowed={allowed} onBusy={setBusy} onLoggedOut={loggedOut} onImported={imported} />}
          <ImportHistory version={historyVersion} onFly={flyTo} />
        </div>
      </div>
    </div>
  );
}
