// A pipe's CJJ 181 assessment from its latest inspection: the repair index RI and maintenance index MI
// with their grades and advice, the way the ranking shows them, plus the scores they come from.
import type { Advice, PipeConditionScores } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { IndexValue } from '../analysis/IndexValue.tsx';
import { defectLabel } from '../format.ts';
import { Fact, Facts, Section } from './parts.tsx';

export function PipeCondition({ c }: { c: PipeConditionScores }) {
  const i = useI18n();
  const { t, num, lang } = i;
  const repaired = c.repaired ?? [];
  const text = (a: Advice | null | undefined) => (a ? (lang === 'zh' ? a.zh : a.en) : '—');
  const score = (v: number | null | undefined, d = 2) => (typeof v === 'number' ? num(v, d) : '—');
  return (
    <Section title={`${t('details.condition')}${c.inspected_at ? ` · ${String(c.inspected_at).slice(0, 10)}` : ''}`} testId="pipe-condition">
      <Facts>
        <Fact label={t('analysis.ri')} testId="condition-ri"><IndexValue value={c.ri} grade={c.ri_grade} /></Fact>
        <Fact label={t('analysis.mi')} testId="condition-mi"><IndexValue value={c.mi} grade={c.mi_grade} /></Fact>
        <Fact label={t('analysis.repairAdvice')}>{text(c.sadvice)}</Fact>
        <Fact label={t('analysis.maintenanceAdvice')}>{text(c.fadvice)}</Fact>
        <Fact label={t('details.fScore')}>{score(c.f)} · SM {score(c.sm, 3)}</Fact>
        <Fact label={t('details.gScore')}>{score(c.g)} · YM {score(c.ym, 3)}</Fact>
        {repaired.length > 0 && (
          <Fact label={t('details.repaired')} testId="condition-repaired">
            <span title={t('details.repairedHint')}>{repaired.map((d) => defectLabel(d.code, d.grade, i)).join('，')}</span>
          </Fact>
        )}
      </Facts>
    </Section>
  );
}
