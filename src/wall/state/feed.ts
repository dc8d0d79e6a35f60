// The live feed beside the map: the last things that happened, newest first, bounded.
export type FeedKind = 'alarm' | 'escalated' | 'cleared' | 'case' | 'closed';

export interface FeedItem {
  key: string;
  kind: FeedKind;
  /** Client time (ms). */
  at: number;
  level?: 'warning' | 'alarm';
  station?: string;
  caseNo?: string;
}

export const MAX_FEED = 30;

export function pushFeed(feed: readonly FeedItem[], item: FeedItem): FeedItem[] {
  if (feed.some((f) => f.key === item.key)) return feed as FeedItem[];
  return [item, ...feed].slice(0, MAX_FEED);
}
