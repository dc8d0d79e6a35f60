// 上岗 / 下岗 and 共享位置: whether I am on duty and whether my position is shared with dispatch, both
// shown as such. Sharing is an opt-in, asked for when going on duty and switchable while on duty.
import { useState } from 'react';
import { useI18n } from '../i18n/index.tsx';
import type { Duty } from './useDuty.ts';

export function DutyBar({ duty }: { duty: Duty }) {
  const { t } = useI18n();
  const [share, setShare] = useState(true);
  const d = duty.duty;
  const on = !!d?.on_duty;
  return (
    <section className="fm-card fm-duty" data-testid="field-duty" data-on-duty={on} data-sharing={!!d?.sharing}>
      {on ? (
        <>
          <span className="fm-duty-state on">{t('duty.onDuty')}</span>
          <label className="fm-duty-share">
            <input type="checkbox" checked={!!d?.sharing} disabled={duty.busy} data-testid="field-duty-share"
              onChange={(e) => void duty.set(true, e.target.checked)} />
            {t('duty.share')}
          </label>
          <span className="muted" data-testid="field-duty-status">
            {d?.sharing ? t('duty.sharing', { n: duty.sent }) : t('duty.notSharing')}
          </span>
          <button type="button" disabled={duty.busy} data-testid="field-duty-off" onClick={() => void duty.set(false, false)}>
            {t('duty.goOff')}
          </button>
        </>
      ) : (
        <>
          <span className="fm-duty-state">{t('duty.offDuty')}</span>
          <label className="fm-duty-share">
            <input type="checkbox" checked={share} data-testid="field-duty-share" onChange={(e) => setShare(e.target.checked)} />
            {t('duty.share')}
          </label>
          <button type="button" className="primary" disabled={duty.busy} data-testid="field-duty-on" onClick={() => void duty.set(true, share)}>
            {t('duty.goOn')}
          </button>
        </>
      )}
      {duty.error && <span className="inline-error">{duty.error}</span>}
    </section>
  );
}
