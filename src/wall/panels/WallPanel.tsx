// A panel of the wall: a titled box on the dark glass over the map's edge.
import type { ReactNode } from 'react';

interface Props {
  title: string;
  /** Beside the title, smaller (a unit, a total). */
  aside?: ReactNode;
  className?: string;
  testId?: string;
  children: ReactNode;
}

export function WallPanel({ title, aside, className, testId, children }: Props) {
  return (
    <section className={`wall-panel${className ? ` ${className}` : ''}`} data-testid={testId}>
      <h2 className="wall-panel-title">
        <span>{title}</span>
        {aside !== undefined && <span className="wall-panel-aside">{aside}</span>}
      </h2>
      {children}
    </section>
  );
}
