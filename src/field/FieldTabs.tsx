// The bottom bar: big targets for a thumb, one per job (nearby, report, my cases). A handler (处置人员) does
// not report: their bar is nearby and their department's queue.
import { useI18n } from '../i18n/index.tsx';

export type FieldTab = 'nearby' | 'report' | 'cases';
const TABS: readonly FieldTab[] = ['nearby', 'report', 'cases'];

const ICONS: Record<FieldTab, string> = {
  nearby: 'M12 2a7 7 0 0 0-7 7c0 5 7 13 7 13s7-8 7-13a7 7 0 0 0-7-7zM12 6.5a2.5 2.5 0 1 1 0 5a2.5 2.5 0 0 1 0-5',
  report: 'M12 5v14M5 12h14',
  cases: 'M8 4h8v3H8zM6 6H4v15h16V6h-2M8 12h8M8 16h5',
};

export function FieldTabs({ tab, onTab, counts, handler = false }: { tab: FieldTab | null; onTab(t: FieldTab | null): void; counts: Partial<Record<FieldTab, number>>; handler?: boolean }) {
  const { t } = useI18n();
  const tabs = handler ? TABS.filter((id) => id !== 'report') : TABS;
  return (
    <nav className="fm-tabs" aria-label={t('fm.tabs')} data-testid="field-tabs">
      {tabs.map((id) => (
        <button key={id} type="button" className={tab === id ? 'on' : ''} aria-pressed={tab === id} data-testid={`field-tab-${id}`}
          onClick={() => onTab(tab === id ? null : id)}>
          <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
            <path d={ICONS[id]} />
          </svg>
          <span>{handler && id === 'cases' ? t('fm.tab.queue') : t(`fm.tab.${id}`)}</span>
          {!!counts[id] && <span className="fm-badge" data-testid={`field-tab-${id}-count`}>{counts[id]}</span>}
        </button>
      ))}
    </nav>
  );
}
