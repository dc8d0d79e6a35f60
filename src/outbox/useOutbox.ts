// The page's one outbox, for React: what is waiting (re-rendered on change) and a notice per sent item.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { Outbox } from './outbox.ts';
import type { FieldItem, OutboxItem, SentNotice } from './types.ts';

let shared: Outbox | null = null;
const outbox = (): Outbox => (shared ??= new Outbox());

/** T: the kind of items this account queues (an account's items are the field app's, the citizen page's its own). */
export interface OutboxHandle<T extends OutboxItem = FieldItem> {
  box: Outbox;
  /** This account's waiting submissions, oldest first. */
  items: readonly T[];
  /** Submissions of another account on this phone (sent when that account logs in again). */
  others: number;
  /** Bumped on every sent item: lists of cases reload. */
  sentCount: number;
  lastSent: (SentNotice & { item: T }) | null;
  /** Set if the storage could not be opened (private mode on some browsers). */
  storageError: string | null;
}

export function useOutbox<T extends OutboxItem = FieldItem>(user: string): OutboxHandle<T> {
  const box = outbox();
  const all = useSyncExternalStore((fn) => box.subscribe(fn), () => box.snapshot());
  const [lastSent, setLastSent] = useState<SentNotice | null>(null);
  const [sentCount, setSentCount] = useState(0);
  const [storageError, setStorageError] = useState<string | null>(null);

  useEffect(() => {
    box.start(user).catch((e: unknown) => setStorageError((e as Error).message));
  }, [box, user]);

  useEffect(() => box.onSent((n) => {
    setLastSent(n);
    setSentCount((c) => c + 1);
  }), [box]);

  const items = all.filter((i): i is T => i.user === user);
  const mine = lastSent?.item.user === user ? lastSent as SentNotice & { item: T } : null;
  return { box, items, others: all.length - items.length, sentCount, lastSent: mine, storageError };
}
