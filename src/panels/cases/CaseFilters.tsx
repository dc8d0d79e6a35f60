// Filters of the case list: status (or "my to-do"), class, street → community → grid, a period of
// reporting, overdue only. Every change starts the list again from the newest case.
import type { CaseStatus } from '../../api/caseTypes.ts';
import { useI18n } from '../../i18n/index.tsx';
import { communitiesOf, type Areas } from '../analysis/useAreas.ts';
import { DateInput } from '../DateInput.tsx';
import { statusLabel } from './labels.ts';
import { useGridsOf } from './useGridsOf.ts';

export interface CaseFilterValue {
  /** A status, or 'mine' for the cases the account can act on now. */
  status?: CaseStatus | 'mine' | 'open';
  class?: 'component' | 'event';
  street?: string;
  community?: string;
  grid?: string;
  from?: string;
  to?: string;
  overdue?: boolean;
}

export const STATUS_ORDER: readonly CaseStatus[] = [
  'reported', 'accepted', 'verified', 'registered', 'dispatched', 'in_progress', 'handled', 'checking', 'reworked', 'suspended', 'returned', 'closed', 'rejected',
];

export function CaseFilters({ value, onChange, areas }: { value: CaseFilterValue; onChange(v: CaseFilterValue): void; areas: Areas | null }) {
  const { t, tr } = useI18n();
  const set = (patch: Partial<CaseFilterValue>) => onChange({ ...value, ...patch });
  const communities = communitiesOf(areas, value.street);
  const grids = useGridsOf(value.community);
  const any = Object.values(value).some((v) => v !== undefined && v !== false);

  return (
    <form className="filter-form" data-testid="case-filters" onSubmit={(e) => e.preventDefault()}>
      <label className="filter-field">
        <span>{t('field.status')}</span>
        <select value={value.status ?? ''} data-testid="case-filter-status" onChange={(e) => set({ status: (e.currentTarget.value || undefined) as CaseFilterValue['status'] })}>
          <option value="">{t('cases.allStatuses')}</option>
          <option value="mine">{t('cases.mine')}</option>
          <option value="open">{t('cases.open')}</option>
          {STATUS_ORDER.map((s) => <option key={s} value={s}>{statusLabel(tr, s)}</option>)}
        </select>
      </label>
      <label className="filter-field">
        <span>{t('field.class')}</span>
        <select value={value.class ?? ''} data-testid="case-filter-class" onChange={(e) => set({ class: (e.currentTarget.value || undefined) as CaseFilterValue['class'] })}>
          <option value="">{t('analysis.any')}</option>
          <option value="component">{t('value.class.component')}</option>
          <option value="event">{t('value.class.event')}</option>
        </select>
      </label>
      <label className="filter-field">
        <span>{t('kind.streets')}</span>
        <select value={value.street ?? ''} data-testid="case-filter-street"
          onChange={(e) => set({ street: e.currentTarget.value || undefined, community: undefined, grid: undefined })}>
          <option value="">{t('analysis.allStreets')}</option>
          {areas?.streets.map((s) => <option key={s.code} value={s.code}>{s.name}</option>)}
        </select>
      </label>
      <div className="filter-pair">
        <label className="filter-field">
          <span>{t('kind.communities')}</span>
          <select value={value.community ?? ''} disabled={!value.street} data-testid="case-filter-community"
            onChange={(e) => set({ community: e.currentTarget.value || undefined, grid: undefined })}>
            <option value="">{t('analysis.allCommunities')}</option>
            {communities.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
          </select>
        </label>
        <label className="filter-field">
          <span>{t('kind.grids')}</span>
          <select value={value.grid ?? ''} disabled={!value.community} data-testid="case-filter-grid" onChange={(e) => set({ grid: e.currentTarget.value || undefined })}>
            <option value="">{t('cases.allGrids')}</option>
            {grids.map((g) => <option key={g} value={g}>{g.slice(-3)} · {g}</option>)}
          </select>
        </label>
      </div>
      <fieldset className="filter-field">
        <legend>{t('cases.reportedBetween')}</legend>
        <div className="filter-pair">
          <DateInput optional value={value.from ?? ''} label={t('cases.from')} testId="case-filter-from" onChange={(from) => set({ from: from || undefined })} />
          <DateInput optional value={value.to ?? ''} label={t('cases.to')} testId="case-filter-to" onChange={(to) => set({ to: to || undefined })} />
        </div>
      </fieldset>
      <label className="check-field">
        <input type="checkbox" checked={!!value.overdue} data-testid="case-filter-overdue" onChange={(e) => set({ overdue: e.currentTarget.checked || undefined })} />
        <span>{t('cases.overdueOnly')}</span>
      </label>
      {any && <button type="button" className="button small" onClick={() => onChange({})} data-testid="case-filter-reset">{t('analysis.resetFilters')}</button>}
    </form>
  );
}
