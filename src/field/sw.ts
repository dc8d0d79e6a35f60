// The field app's service worker: it keeps the app itself on the phone, so that /field opens (and a reload
// works) without a connection, showing what waits in the outbox. It caches
//  - the page (/field): network first, the stored copy when offline;
//  - the app's files (/assets/, content-hashed, so a stored copy is never stale): stored first;
//  - map tiles and the case catalogue: network first, the last copy offline (tiles bounded in number).
// Everything else (the API's other answers, every POST) passes through untouched: the outbox, not the
// worker, decides what is retried.
// Typed by hand: the project's TypeScript library is the DOM's, which has no service-worker globals.

interface ExtendableEventLike extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEventLike extends ExtendableEventLike {
  request: Request;
  respondWith(r: Promise<Response> | Response): void;
}
interface MessageEventLike extends ExtendableEventLike {
  data: unknown;
}
interface WorkerScope {
  addEventListener(type: 'install' | 'activate', fn: (e: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', fn: (e: FetchEventLike) => void): void;
  addEventListener(type: 'message', fn: (e: MessageEventLike) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
}

const sw = self as unknown as WorkerScope;
const VERSION = 'v1';
const APP = `onemap-field-app-${VERSION}`;
const DATA = `onemap-field-data-${VERSION}`;
const SHELL = '/field';
const MAX_TILES = 3000;

sw.addEventListener('install', (e) => {
  e.waitUntil(caches.open(APP).then((c) => c.add(SHELL)).catch(() => undefined).then(() => sw.skipWaiting()));
});

sw.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('onemap-field-') && k !== APP && k !== DATA).map((k) => caches.delete(k))))
    .then(() => sw.clients.claim()));
});

// The page lists the files it loaded before this worker controlled it (its first visit): keep them too.
sw.addEventListener('message', (e) => {
  const msg = e.data as { type?: string; urls?: unknown } | null;
  if (msg?.type !== 'precache' || !Array.isArray(msg.urls)) return;
  const urls = msg.urls.filter((u): u is string => typeof u === 'string' && new URL(u, sw.location.href).origin === sw.location.origin);
  e.waitUntil(caches.open(APP).then((c) => Promise.all(urls.map((u) => c.match(u).then((hit) => (hit ? undefined : c.add(u))).catch(() => undefined)))));
});

async function networkFirst(req: Request, cacheName: string, fallbackKey?: string): Promise<Response> {
  const cache = await caches.open(cacheName);
  try {
    const res = await fetch(req);
    if (res.ok) void cache.put(fallbackKey ?? req, res.clone());
    return res;
  } catch (err) {
    const hit = await cache.match(fallbackKey ?? req, { ignoreVary: true });
    if (hit) return hit;
    throw err;
  }
}

async function cacheFirst(req: Request): Promise<Response> {
  const cache = await caches.open(APP);
  const hit = await cache.match(req);
  if (hit) return hit;
  const res = await fetch(req);
  if (res.ok) void cache.put(req, res.clone());
  return res;
}

let trimming = false;
async function trimTiles(): Promise<void> {
  if (trimming) return;
  trimming = true;
  try {
    const cache = await caches.open(DATA);
    const keys = (await cache.keys()).filter((k) => new URL(k.url).pathname.startsWith('/tiles/'));
    // Keys come back in insertion order: the oldest go first.
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_TILES))) await cache.delete(k);
  } finally {
    trimming = false;
  }
}

sw.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== sw.location.origin) return;
  if (req.mode === 'navigate') {
    if (url.pathname === SHELL || url.pathname === `${SHELL}/`) e.respondWith(networkFirst(req, APP, SHELL));
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    e.respondWith(cacheFirst(req));
  } else if (url.pathname.startsWith('/tiles/')) {
    e.respondWith(networkFirst(req, DATA).finally(() => void trimTiles()));
  } else if (url.pathname === '/api/cases/catalogue') {
    e.respondWith(networkFirst(req, DATA));
  }
});
