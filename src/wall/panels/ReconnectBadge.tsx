// A small badge while the live link is down: the wall keeps its last figures and says it is catching up
// (never a modal: nobody is there to close it).
import { useT } from '../../i18n/index.tsx';

export function ReconnectBadge() {
  const t = useT();
  return (
    <div className="wall-badge wall-reconnecting" data-testid="reconnecting" role="status" title={t('wall.reconnectingHint')}>
      <span className="wall-dot" aria-hidden="true" />
      {t('wall.reconnecting')}
    </div>
  );
}
