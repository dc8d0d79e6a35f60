// The trace actions in a details panel: up- and downstream from a pipe or a manhole, or from a
// misconnection's pipe down to the outfall it pollutes.
import type { Geometry } from 'geojson';
import type { TraceDirection, TraceFrom } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { representativePoint } from '../../map/geom.ts';
import { Icon } from '../Icon.tsx';
import type { TraceRequest } from './traceRequest.ts';

interface Props {
  from: TraceFrom;
  origin: TraceRequest['origin'];
  geometry: Geometry | null;
  purpose?: TraceRequest['purpose'];
  onTrace(r: TraceRequest): void;
}

export function TraceButtons({ from, origin, geometry, purpose = 'network', onTrace }: Props) {
  const { t } = useI18n();
  const start = geometry ? representativePoint(geometry) : null;
  const go = (direction: TraceDirection) => onTrace({ from, direction, origin, purpose, start });
  if (purpose === 'outfall') {
    return (
      <div className="trace-buttons">
        <button type="button" className="button small" data-testid="trace-outfall" onClick={() => go('downstream')} title={t('trace.toOutfallHint')}>
          <Icon name="outfall" /> {t('trace.toOutfall')}
        </button>
      </div>
    );
  }
  return (
    <div className="trace-buttons">
      <button type="button" className="button small" data-testid="trace-upstream" onClick={() => go('upstream')}>
        <Icon name="upstream" /> {t('trace.upstream')}
      </button>
      <button type="button" className="button small" data-testid="trace-downstream" onClick={() => go('downstream')}>
        <Icon name="downstream" /> {t('trace.downstream')}
      </button>
    </div>
  );
}
