// A sensor station's open alarms in the map's details: each with its handling, and for a logged-in account
// the actions and history. Alarm events of this station (GET /api/live?kinds=alarm, open while the details
// are) re-read the list, so a change made on the wall or another desk shows here at once.
import { useEffect, useState } from 'react';
import type { AlarmRow } from '../../../common/api/alarms.ts';
import { alarmsApi } from '../../api/alarms.ts';
import { isAbort } from '../../api/client.ts';
import { LiveClient } from '../../api/live.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Section } from '../details/parts.tsx';
import { AlarmActions } from './AlarmActions.tsx';

export function StationAlarms({ stationId }: { stationId: number }) {
  const { t, tr } = useI18n();
  const [items, setItems] = useState<AlarmRow[]>([]);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    alarmsApi.ofStation(stationId, ctrl.signal).then((r) => setItems(r.items), (e: unknown) => { if (!isAbort(e)) setItems([]); });
    return () => ctrl.abort();
  }, [stationId, version]);

  useEffect(() => {
    const live = new LiveClient({
      onMessage: (m) => { if (m.kind === 'alarm' && m.data.station_id === stationId) setVersion((v) => v + 1); },
      onReset: () => setVersion((v) => v + 1),
      onReconnected: () => setVersion((v) => v + 1),
      onState: () => {},
    }, '/api/live', ['alarm']);
    live.start();
    return () => live.stop();
  }, [stationId]);

  if (items.length === 0) return null;
  return (
    <Section title={t('alarm.handling')} testId="station-alarms">
      {items.map((a) => (
        <div key={a.id} className={`station-alarm level-${a.level}`} data-testid="station-alarm" data-alarm-id={a.id}>
          <div>
            <strong>{t(a.level === 'alarm' ? 'status.alarm' : 'status.warning')}</strong>
            {' · '}{tr(`quantity.${a.quantity}`, a.quantity)}
            {a.state === 'cleared' ? ` · ${t('wall.cleared')}` : ''}
          </div>
          <AlarmActions alarmId={a.id} version={`${version}/${a.handling}/${a.unit_level}/${a.supervised}`} history />
        </div>
      ))}
    </Section>
  );
}
