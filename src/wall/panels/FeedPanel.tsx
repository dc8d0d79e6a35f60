// What just happened, newest first: alarms raised, escalated and cleared, cases reported and closed.
import { useI18n } from '../../i18n/index.tsx';
import type { FeedItem } from '../state/feed.ts';
import { shanghaiTime } from '../format.ts';
import { WallPanel } from './WallPanel.tsx';

export function FeedPanel({ items }: { items: readonly FeedItem[] }) {
  const { t, lang } = useI18n();
  const text = (f: FeedItem) => {
    switch (f.kind) {
      case 'alarm': return t('wall.feed.alarm', { station: f.station ?? '', level: t(f.level === 'alarm' ? 'status.alarm' : 'status.warning') });
      case 'escalated': return t('wall.feed.escalated', { station: f.station ?? '' });
      case 'cleared': return t('wall.feed.cleared', { station: f.station ?? '' });
      case 'case': return t('wall.feed.case', { no: f.caseNo ?? '' });
      case 'closed': return t('wall.feed.closed', { no: f.caseNo ?? '' });
    }
  };
  return (
    <WallPanel title={t('wall.feed')} className="wall-feed" testId="panel-feed">
      {items.length === 0 ? <p className="wall-empty">{t('wall.feedEmpty')}</p> : (
        <ul className="wall-feed-list">
          {items.map((f) => (
            <li key={f.key} className={`wall-feed-item kind-${f.kind}${f.level ? ` level-${f.level}` : ''}`} data-testid="feed-item">
              <time>{shanghaiTime(f.at, lang, false)}</time>
              <span>{text(f)}</span>
            </li>
          ))}
        </ul>
      )}
    </WallPanel>
  );
}
