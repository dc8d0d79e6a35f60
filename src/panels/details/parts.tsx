import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import { fieldLabel, formatValue, gradeLabel } from '../format.ts';
import { gradeColors, notInspectedColor } from '../../map/palette.ts';

export function PropertyTable({ properties, fields }: { properties: Record<string, unknown>; fields?: readonly string[] }) {
  const i = useI18n();
  const keys = fields ?? Object.keys(properties).filter((k) => !['geom', 'geometry', 'geom3857'].includes(k));
  return (
    <dl className="prop-table">
      {keys.map((k) => (
        <div key={k} className="prop-row">
          <dt>{fieldLabel(k, i)}</dt>
          <dd>{formatValue(k, properties[k], i)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Facts({ children }: { children: ReactNode }) {
  return <dl className="facts">{children}</dl>;
}

export function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="fact" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function GradeBadge({ grade }: { grade: unknown }) {
  const i = useI18n();
  const { t } = i;
  const g = Number(grade);
  if (!grade || !(g >= 1 && g <= 4)) return <span className="grade-badge none" style={{ background: notInspectedColor }}>{t('legend.notInspected')}</span>;
  return <span className="grade-badge" style={{ background: gradeColors[g - 1] }}>{gradeLabel(g, i)}</span>;
}

export function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="details-section" data-testid={testId}>
      <h4>{title}</h4>
      {children}
    </section>
  );
}

export function RefLink({ layer, id, label, onSelect }: { layer: string; id: string | number; label?: string; onSelect(layer: string, id: string | number): void }) {
  return (
    <button type="button" className="link-button" data-testid={`link-${layer}`} onClick={() => onSelect(layer, id)}>
      {label ?? `#${id}`}
    </button>
  );
}
