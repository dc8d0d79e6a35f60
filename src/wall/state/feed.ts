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

/** The feed line of a case event: reported and closed are news, the steps between are not. */
export function caseFeedItem(e: { id: number | string; status: string; case_no: string }, at: number): FeedItem | null {
  const key = `c${e.id}:${e.status}`;
  if (e.status === 'reported') return { key, kind: 'case', at, caseNo: e.case_no };
  if (e.status === 'closed') return { key, kind: 'closed', at, caseNo: e.case_no };
  return null;
}

export type AlarmChange = 'new' | 'escalated' | 'cleared';

/** The feed line of an alarm that was raised, escalated or cleared. */
export function alarmFeedItem(a: { id: number | string; level: 'warning' | 'alarm'; station: string }, change: AlarmChange, at: number): FeedItem {
  if (change === 'cleared') return { key: `a${a.id}:cleared`, kind: 'cleared', at, station: a.station };
  return { key: `a${a.id}:${change}:${a.level}`, kind: change === 'new' ? 'alarm' : 'escalated', at, level: a.level, station: a.station };
}

/**
 * The feed of recent events read from the log (oldest first) when the wall opens: the same lines live
 * events make. An alarm's first event in the list counts as raised, a later one at a higher level as
 * escalated (what happened before the list began is not known, and needs not be).
 */
export function feedOfRecent(events: readonly { kind: string; at: number; data: unknown }[]): FeedItem[] {
  let feed: FeedItem[] = [];
  const levels = new Map<string, 'warning' | 'alarm'>();
  for (const e of events) {
    if (e.kind === 'case') {
      const item = caseFeedItem(e.data as { id: number; status: string; case_no: string }, e.at);
      if (item) feed = pushFeed(feed, item);
    } else if (e.kind === 'alarm') {
      const a = e.data as { id: number | string; level: 'warning' | 'alarm'; state: 'active' | 'cleared'; station: string };
      const id = String(a.id);
      const seen = levels.get(id);
      if (a.state === 'cleared') feed = pushFeed(feed, alarmFeedItem(a, 'cleared', e.at));
      else if (!seen) feed = pushFeed(feed, alarmFeedItem(a, 'new', e.at));
      else if (seen === 'warning' && a.level === 'alarm') feed = pushFeed(feed, alarmFeedItem(a, 'escalated', e.at));
      levels.set(id, a.level);
    }
  }
  return feed;
}

/** What was read from the log joined with what arrived live meanwhile: each line once, newest first, bounded. */
export function mergeFeed(feed: readonly FeedItem[], recent: readonly FeedItem[]): FeedItem[] {
  const keys = new Set(feed.map((f) => f.key));
  return [...feed, ...recent.filter((f) => !keys.has(f.key))].sort((a, b) => b.at - a.at).slice(0, MAX_FEED);
}
