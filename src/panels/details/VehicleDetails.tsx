// A GPS vehicle: from the tracks deck.gl is replaying (there is no details route for vehicles).
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import { useMapHandle } from '../../map/MapContext.ts';
import { formatValue } from '../format.ts';
import { Fact, Facts } from './parts.tsx';

export function VehicleDetails({ id }: { id: number }) {
  const i = useI18n();
  const { t, tr, num, date } = i;
  const { deck } = useMapHandle();
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  const v = deck?.vehicle(id);
  if (!v) return <p className="muted">{t('common.loading')}</p>;
  const { track, head, time } = v;
  return (
    <div className="details" data-testid="details-content">
      <h3 className="details-title" data-testid="details-title">{track.plate}</h3>
      <Facts>
        <Fact label={t('field.kind')}>{tr(`vehicle.${track.kind}`, track.kind)}</Fact>
        <Fact label={t('field.status')}>{formatValue('status', track.status, i)}</Fact>
        <Fact label={t('details.speed')}>{head ? `${num(head.speed, 1)} km/h` : '—'}</Fact>
        <Fact label={t('details.replayTime')}>{time ? date(time * 1000) : '—'}</Fact>
        <Fact label={t('details.fixes')}>{num(track.path.length)}</Fact>
        <Fact label={t('details.position')}>{head ? `${head.position[0].toFixed(5)}, ${head.position[1].toFixed(5)}` : '—'}</Fact>
      </Facts>
    </div>
  );
}
