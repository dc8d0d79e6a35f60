// The outbox on the device: IndexedDB, so queued reports and their photos survive a reload, a closed tab
// or a phone that restarts the browser. Photos are stored as bytes plus their type (an ArrayBuffer clones
// into IndexedDB everywhere; Blobs did not on older Safari).
import type { OutboxItem } from './types.ts';

const DB_NAME = 'onemap-field';
const STORE = 'outbox';

let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'id' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB unavailable'));
  }).catch((e: unknown) => {
    opening = null; // a later call may succeed (e.g. after a private-mode prompt)
    throw e;
  });
  return opening;
}

function run<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> {
  return open().then((db) => new Promise<T | undefined>((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = fn(tx.objectStore(STORE));
    // Resolve on commit, not on the request: a put is durable only once its transaction completes.
    tx.oncomplete = () => resolve(req ? req.result : undefined);
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  }));
}

export const outboxStore = {
  all: async (): Promise<OutboxItem[]> => ((await run<OutboxItem[]>('readonly', (s) => s.getAll() as IDBRequest<OutboxItem[]>)) ?? [])
    .sort((a, b) => a.createdAt - b.createdAt),
  put: async (item: OutboxItem): Promise<void> => {
    await run('readwrite', (s) => s.put(item));
  },
  remove: async (id: string): Promise<void> => {
    await run('readwrite', (s) => s.delete(id));
  },
};
