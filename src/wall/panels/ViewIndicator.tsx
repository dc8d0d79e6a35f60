// The playlist's position: the view on screen, a bar that fills until the next one (a CSS animation, no
// timers), and "paused" while an alarm holds the map.
import { forwardRef } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import type { ChosenScene } from '../state/scenes.ts';

interface Props {
  name: string | null;
  /** The scene, when the playlist rotates scenes. */
  scene: ChosenScene | null;
  index: number;
  count: number;
  intervalS: number;
  paused: boolean;
  /** Changes with every switch, restarting the progress bar. */
  startedAt: number;
}

export const ViewIndicator = forwardRef<HTMLDivElement, Props>(function ViewIndicator({ name, scene, index, count, intervalS, paused, startedAt }, ref) {
  const { t, num } = useI18n();
  return (
    <div className={`wall-view${paused ? ' paused' : ''}`} ref={ref} data-testid="view-indicator" data-index={index} data-paused={paused}>
      <div className="wall-view-text">
        <span className="wall-view-name" data-testid="view-name">{paused ? t('wall.view.paused') : name ?? t('wall.view.district')}{scene && !paused ? ` · ${t(`wall.scene.${scene}`)}` : ''}</span>
        <span className="wall-view-meta">{count ? t('wall.view.of', { i: num(index + 1), n: num(count) }) : ''} · {t('wall.view.every', { s: num(intervalS) })}</span>
      </div>
      <div className="wall-view-progress">
        {!paused && <span key={startedAt} style={{ animationDuration: `${intervalS}s` }} />}
      </div>
    </div>
  );
});
