// A panel that fails to render (an answer of an unexpected shape) shows an error in its place; the
// map and the other panels stay usable. Without this, React unmounts the whole app.
import { Component, type ReactNode } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { Icon } from './Icon.tsx';

interface Props {
  /** What is shown in place of the panel, e.g. to close it. */
  onClose?(): void;
  children: ReactNode;
}

export class PanelErrorBoundary extends Component<Props, { error: Error | null }> {
  state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidCatch(error: Error): void {
    console.warn('[panel]', error);
  }

  render() {
    if (!this.state.error) return this.props.children;
    return <PanelFailed message={this.state.error.message} onClose={this.props.onClose} onRetry={() => this.setState({ error: null })} />;
  }
}

function PanelFailed({ message, onClose, onRetry }: { message: string; onClose?(): void; onRetry(): void }) {
  const { t } = useI18n();
  return (
    <div className="panel panel-failed" role="alert" data-testid="panel-failed">
      <p><Icon name="warning" /> {t('panel.failed')}</p>
      <p className="muted">{message}</p>
      <div className="form-actions">
        <button type="button" className="button small" onClick={onRetry}>{t('common.retry')}</button>
        {onClose && <button type="button" className="button small" onClick={onClose}>{t('common.close')}</button>}
      </div>
    </div>
  );
}
