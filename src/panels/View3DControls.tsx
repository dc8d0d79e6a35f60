// The 3D view's switch and its vertical exaggeration, and the printable report of what is in view; under
// the zoom buttons.
import { useT } from '../i18n/index.tsx';
import { useMapHandle } from '../map/MapContext.ts';
import { EXAGGERATIONS } from '../map/three/geometry.ts';
import { reportUrl } from '../report/reportScope.ts';
import { Icon } from './Icon.tsx';

interface Props {
  on: boolean;
  exaggeration: number;
  onToggle(on: boolean): void;
  onExaggeration(value: number): void;
}

export function View3DControls({ on, exaggeration, onToggle, onExaggeration }: Props) {
  const t = useT();
  const { map } = useMapHandle();
  const openReport = () => {
    if (!map) return;
    const b = map.getBounds();
    window.open(reportUrl({ bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] }), '_blank', 'noopener');
  };
  return (
    <div className="view3d-controls">
      <button type="button" className={`view3d-toggle${on ? ' active' : ''}`} data-testid="view3d-toggle" aria-pressed={on}
        title={t(on ? 'view3d.off' : 'view3d.on')} onClick={() => onToggle(!on)}>
        {t('view3d.button')}
      </button>
      {on && (
        <label className="view3d-ex" title={t('view3d.exaggerationHint')}>
          <span>{t('view3d.exaggeration')}</span>
          <select data-testid="view3d-exaggeration" value={exaggeration} onChange={(e) => onExaggeration(Number(e.target.value))}>
            {EXAGGERATIONS.map((v) => <option key={v} value={v}>×{v}</option>)}
          </select>
        </label>
      )}
      <button type="button" className="view3d-report" data-testid="report-open" title={t('report.openView')} aria-label={t('report.openView')} onClick={openReport}>
        <Icon name="printer" />
      </button>
    </div>
  );
}
