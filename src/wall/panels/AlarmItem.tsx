// One alarm in the list: level, station, what it measures and the reading against its threshold, and its
// handling (state, unit, 督办). A cleared alarm shows "已解除" and fades out before it leaves the list.
import { useI18n } from '../../i18n/index.tsx';
import { AlarmActions } from '../../panels/alarms/AlarmActions.tsx';
import { HandlingBadges } from '../../panels/alarms/HandlingBadges.tsx';
import type { WallAlarm } from '../state/alarms.ts';
import { shanghaiTime } from '../format.ts';

interface Props {
  alarm: WallAlarm;
  focused: boolean;
  /** For a logged-in operator: whether the actions are open, and the toggle. */
  handle?: { open: boolean; toggle(): void } | null;
}

export function AlarmItem({ alarm: a, focused, handle }: Props) {
  const { t, tr, num, lang } = useI18n();
  const cleared = a.clearedAt !== null;
  const digits = a.value !== null && Math.abs(a.value) < 10 ? 2 : 1;
  const unit = a.unit ? ` ${a.unit}` : '';
  // The handling state is part of the key of the actions' read: a change from another page re-reads them.
  const version = `${a.handling}/${a.unitLevel}/${a.supervised}`;
  return (
    <li className={`wall-alarm level-${a.level}${cleared ? ' cleared' : ''}${focused ? ' focused' : ''}${a.supervised ? ' supervised' : ''}`}
      data-testid="alarm-item" data-alarm-id={a.id} data-state={cleared ? 'cleared' : 'active'} data-level={a.level} data-handling={a.handling}>
      <span className="wall-alarm-level">{cleared ? t('wall.cleared') : t(a.level === 'alarm' ? 'status.alarm' : 'status.warning')}</span>
      <div className="wall-alarm-main">
        <div className="wall-alarm-station">{a.station}</div>
        <div className="wall-alarm-meta">
          {tr(`value.kind.${a.kind}`, a.kind)}
          {a.quantity && a.quantity !== a.kind ? ` · ${tr(`quantity.${a.quantity}`, a.quantity)}` : ''}
          {' · '}{t('wall.since', { time: shanghaiTime(a.raisedAt, lang, false) })}
          {a.caseId && !cleared ? ` · ${t('wall.caseOpened')}` : ''}
        </div>
        <div className="wall-alarm-handling">
          <HandlingBadges handling={a.handling} unitLevel={a.unitLevel} supervised={a.supervised} />
          {handle && (
            <button type="button" className="wall-alarm-handle" data-testid="alarm-handle" aria-expanded={handle.open} onClick={handle.toggle}>
              {t('alarm.handle')}
            </button>
          )}
        </div>
        {handle?.open && <AlarmActions alarmId={a.id} version={version} />}
      </div>
      <div className="wall-alarm-reading">
        {/* A fault has no reading: its cause is the figure. */}
        <div className="wall-alarm-value" data-testid="alarm-value" data-value={a.value ?? ''}>{a.value === null ? tr(`quantity.${a.quantity}`, a.quantity ?? '') : <>{num(a.value, digits)}{unit}</>}</div>
        <div className="wall-alarm-limit">
          {a.alarmLevel !== null ? t('wall.threshold', { v: num(a.alarmLevel, digits) }) : a.peak !== null ? t('wall.peak', { v: num(a.peak, digits) }) : ''}
        </div>
      </div>
    </li>
  );
}
