// The wall's live feed from the log's recent events: the same lines (and keys) live events make, an alarm's
// escalation seen within the list, and a merge with what arrived live that keeps each line once.
import { describe, expect, it } from 'vitest';
import { alarmFeedItem, caseFeedItem, feedOfRecent, MAX_FEED, mergeFeed } from '../../src/wall/state/feed.ts';

const alarm = (id: number, level: 'warning' | 'alarm', state: 'active' | 'cleared') => ({ id, level, state, station: `站${id}` });

describe('wall feed from recent events', () => {
  it('makes the lines live events make: reported and closed cases, raised, escalated and cleared alarms, newest first', () => {
    const feed = feedOfRecent([
      { kind: 'case', at: 1, data: { id: 7, status: 'reported', case_no: 'WC7' } },
      { kind: 'case', at: 2, data: { id: 7, status: 'accepted', case_no: 'WC7' } },
      { kind: 'alarm', at: 3, data: alarm(1, 'warning', 'active') },
      { kind: 'alarm', at: 4, data: alarm(1, 'warning', 'active') },
      { kind: 'alarm', at: 5, data: alarm(1, 'alarm', 'active') },
      { kind: 'alarm', at: 6, data: alarm(1, 'warning', 'active') },
      { kind: 'alarm', at: 7, data: alarm(1, 'warning', 'cleared') },
      { kind: 'case', at: 8, data: { id: 6, status: 'closed', case_no: 'WC6' } },
      { kind: 'observation', at: 9, data: {} },
    ]);
    expect(feed.map((f) => [f.key, f.kind, f.at])).toEqual([
      ['c6:closed', 'closed', 8], ['a1:cleared', 'cleared', 7], ['a1:escalated:alarm', 'escalated', 5], ['a1:new:warning', 'alarm', 3], ['c7:reported', 'case', 1],
    ]);
    // The keys are the live path's, so a line read from the log and the same one arriving live are one.
    expect(alarmFeedItem({ id: 1, level: 'warning', station: '站1' }, 'new', 0).key).toBe('a1:new:warning');
    expect(caseFeedItem({ id: 7, status: 'reported', case_no: 'WC7' }, 0)?.key).toBe('c7:reported');
    expect(caseFeedItem({ id: 7, status: 'dispatched', case_no: 'WC7' }, 0)).toBeNull();
  });

  it('merges with the live lines: each once (the live one kept), newest first, bounded', () => {
    const live = [caseFeedItem({ id: 9, status: 'reported', case_no: 'WC9' }, 100)!];
    const recent = [caseFeedItem({ id: 9, status: 'reported', case_no: 'WC9' }, 99)!, caseFeedItem({ id: 8, status: 'reported', case_no: 'WC8' }, 50)!];
    expect(mergeFeed(live, recent).map((f) => [f.key, f.at])).toEqual([['c9:reported', 100], ['c8:reported', 50]]);
    const many = Array.from({ length: 50 }, (_, i) => caseFeedItem({ id: i, status: 'reported', case_no: `WC${i}` }, i)!);
    const merged = mergeFeed([], many);
    expect(merged).toHaveLength(MAX_FEED);
    expect(merged[0].at).toBe(49);
  });
});
