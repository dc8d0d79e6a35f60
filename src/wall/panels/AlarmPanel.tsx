// Active alarms by level and the list, alarm level first and newest first. What does not fit is counted,
// never scrolled (nobody can scroll a wall). With an operator logged in, an item opens its handling actions.
import { useRef, useState } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import { useFitCount } from '../hooks/useFitCount.ts';
import type { WallAlarm } from '../state/alarms.ts';
import { AlarmItem } from './AlarmItem.tsx';
import { Kpi } from './Kpi.tsx';
import { WallPanel } from './WallPanel.tsx';

interface Props {
  alarms: readonly WallAlarm[];
  counts: { alarm: number; warning: number } | null;
  focus: readonly string[];
  /** Items shown at most (fewer when fewer fit); the rest are counted. */
  max: number;
  /** A logged-in operator: each item offers its handling actions. */
  canHandle?: boolean;
}

export function AlarmPanel({ alarms, counts, focus, max, canHandle = false }: Props) {
  const { t, num } = useI18n();
  const list = useRef<HTMLUListElement>(null);
  const fit = useFitCount(list, max, alarms.length);
  const shown = alarms.slice(0, Math.min(max, fit));
  const more = alarms.length - shown.length;
  const focused = new Set(focus);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <WallPanel title={t('wall.alarms')} className="wall-alarms" testId="panel-alarms">
      <div className="wall-kpi-row">
        <Kpi label={t('status.alarm')} text={counts ? num(counts.alarm) : '—'} value={counts?.alarm ?? null} size="medium"
          tone={counts?.alarm ? 'alarm' : 'muted'} testId="kpi-alarms-alarm" />
        <Kpi label={t('status.warning')} text={counts ? num(counts.warning) : '—'} value={counts?.warning ?? null} size="medium"
          tone={counts?.warning ? 'warning' : 'muted'} testId="kpi-alarms-warning" />
      </div>
      {alarms.length === 0 ? (
        <p className="wall-empty" data-testid="alarms-empty">{t('wall.noAlarms')}</p>
      ) : (
        <ul className="wall-alarm-list" data-testid="alarm-list" ref={list}>
          {shown.map((a) => <AlarmItem key={a.id} alarm={a} focused={focused.has(a.id)}
            handle={canHandle ? { open: open === a.id, toggle: () => setOpen((o) => (o === a.id ? null : a.id)) } : null} />)}
        </ul>
      )}
      {more > 0 && <div className="wall-more" data-testid="alarms-more">{t('wall.alarmMore', { n: num(more) })}</div>}
    </WallPanel>
  );
}
