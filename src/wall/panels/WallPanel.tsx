// A panel of the wall: a titled box on the dark glass over the map's edge.
import type { ReactNode } from 'react';
import { allEmpty, useDataLayers, type DataLayerId } from '../../api/dataLayers.ts';
import { useI18n } from '../../i18n/index.tsx';

interface Props {
  title: string;
  /** Beside the title, smaller (a unit, a total). */
  aside?: ReactNode;
  className?: string;
  testId?: string;
  /** The data layers its figures come from: while one is empty the panel says which, not a row of zeros. */
  needs?: readonly DataLayerId[];
  children: ReactNode;
}

export function WallPanel({ title, aside, className, testId, needs = [], children }: Props) {
  const { t } = useI18n();
  const presence = useDataLayers();
  const missing = needs.filter((id) => allEmpty(presence, [id]));
  return (
    <section className={`wall-panel${className ? ` ${className}` : ''}`} data-testid={testId}>
      <h2 className="wall-panel-title">
        <span>{title}</span>
        {aside !== undefined && <span className="wall-panel-aside">{aside}</span>}
      </h2>
      {missing.length > 0 && (
        <p className="wall-missing" data-testid={`${testId ?? 'panel'}-missing`}>
          {t('data.notLoaded', { layers: missing.map((id) => t(`data.layer.${id}`)).join('、') })}
        </p>
      )}
      {children}
    </section>
  );
}
