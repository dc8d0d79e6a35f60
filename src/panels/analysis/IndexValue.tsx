// A CJJ 181 index (RI or MI) with its grade, coloured like the pipes in a grade mode on the map.
import { useI18n } from '../../i18n/index.tsx';
import { gradeColors, notInspectedColor } from '../../map/palette.ts';
import { gradeLabel, roman } from '../format.ts';

export function IndexValue({ value, grade, testId }: { value: number | null; grade: number | null; testId?: string }) {
  const i = useI18n();
  const { t } = i;
  const g = Number(grade);
  const known = g >= 1 && g <= 4;
  return (
    <span className="index-value" data-testid={testId} data-grade={known ? g : ''}>
      <span className={`grade-badge g${known ? g : 0}`} style={{ background: known ? gradeColors[g - 1] : notInspectedColor }}
        title={known ? gradeLabel(g, i) : t('legend.notInspected')}>
        {known ? roman(g) : '—'}
      </span>
      <span className="index-number">{typeof value === 'number' ? value.toFixed(2) : '—'}</span>
    </span>
  );
}
