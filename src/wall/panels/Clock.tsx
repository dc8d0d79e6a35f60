// Beijing time, ticking once a second. Its own component, so only it re-renders every second.
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import { shanghaiDate, shanghaiTime } from '../format.ts';

export function Clock({ now }: { now(): number }) {
  const { lang, t } = useI18n();
  const [ms, setMs] = useState(now);
  useEffect(() => {
    // Aligned to the second boundary, so the seconds flip together with the wall's other clocks.
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const v = now();
      setMs(v);
      timer = setTimeout(tick, 1000 - (v % 1000) + 5);
    };
    tick();
    return () => clearTimeout(timer);
  }, [now]);
  return (
    <div className="wall-clock" data-testid="wall-clock" title={t('wall.clockZone')}>
      <div className="wall-clock-time">{shanghaiTime(ms, lang)}</div>
      <div className="wall-clock-date">{shanghaiDate(ms, lang)} · {t('wall.clockZone')}</div>
    </div>
  );
}
