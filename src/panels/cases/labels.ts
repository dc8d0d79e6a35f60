// Names of catalogue items, statuses and steps in the UI language. Items and KPI names are data (the
// catalogue has both languages); statuses and steps have message keys, with the server's label as fallback.
import type { Catalogue, CaseAction, CaseStatus } from '../../api/caseTypes.ts';
import type { I18n, Lang } from '../../i18n/index.tsx';

export function itemName(c: Catalogue | null, code: string, lang: Lang): string {
  const item = c?.items.find((i) => i.code === code);
  return item ? (lang === 'zh' ? item.name_zh : item.name_en) : code;
}

export const statusLabel = (tr: I18n['tr'], s: CaseStatus | null): string => (s ? tr(`value.status.${s}`, s) : '—');

export function actionLabel(i18n: Pick<I18n, 'tr' | 'lang'>, c: Catalogue | null, a: CaseAction): string {
  const rule = c?.workflow.find((r) => r.action === a);
  return i18n.tr(`wf.${a}`, rule ? rule.label[i18n.lang] : a);
}
