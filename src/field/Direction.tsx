// "东北 NE 35 m" with an arrow pointing that way (north up, like the map).
import { useI18n } from '../i18n/index.tsx';
import { compassPoint, formatDistance } from './geo.ts';

export function Direction({ bearing, distance, big }: { bearing: number | null; distance: number; big?: boolean }) {
  const { t, lang } = useI18n();
  const point = bearing === null ? null : compassPoint(bearing);
  const words = point ? (lang === 'zh' ? `${t(`dir.${point}`)} ${point}` : point) : t('dir.here');
  return (
    <span className={`fm-dir${big ? ' big' : ''}`} data-testid="direction" data-bearing={bearing ?? ''} data-distance={Math.round(distance)}>
      <svg viewBox="0 0 24 24" className="fm-arrow" aria-hidden="true" style={{ transform: `rotate(${bearing ?? 0}deg)`, opacity: bearing === null ? 0.3 : 1 }}>
        <path d="M12 2 19 21 12 16.5 5 21z" />
      </svg>
      <span className="fm-dir-text">{words}</span>
      <span className="fm-dist" data-testid="distance">{formatDistance(distance)}</span>
    </span>
  );
}
