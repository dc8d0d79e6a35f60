// The scene switcher (防汛 / 城管 / 视频 / 全部) and the pin: a pinned scene stays on this wall (and in its
// URL) through reloads, and the playlist stops rotating scenes.
import { useI18n } from '../../i18n/index.tsx';
import { SCENES, type ChosenScene, type Scene } from '../state/scenes.ts';

interface Props {
  scene: Scene;
  pinned: boolean;
  onScene(scene: ChosenScene): void;
  onPin(pinned: boolean): void;
}

export function SceneBar({ scene, pinned, onScene, onPin }: Props) {
  const { t } = useI18n();
  return (
    <div className="wall-scenes" role="toolbar" aria-label={t('wall.scene')} data-testid="scene-bar" data-scene={scene} data-pinned={pinned}>
      {SCENES.map((s) => (
        <button key={s} type="button" className={s === scene ? 'on' : ''} aria-pressed={s === scene} data-testid={`scene-${s}`} onClick={() => onScene(s)}>
          {t(`wall.scene.${s}`)}
        </button>
      ))}
      <button type="button" className={`wall-pin${pinned ? ' on' : ''}`} aria-pressed={pinned} data-testid="scene-pin" onClick={() => onPin(!pinned)}
        title={pinned ? t('wall.scene.unpinHint') : t('wall.scene.pinHint')}>
        {pinned ? t('wall.scene.pinned') : t('wall.scene.pin')}
      </button>
    </div>
  );
}
