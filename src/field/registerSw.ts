// Registers the field app's service worker (sw.ts). Vite emits it under /assets/, whose path would limit
// its scope to /assets/; the server therefore sends `Service-Worker-Allowed: /field` with it, which lets it
// control /field. Without that header (or on plain http to another host) registration fails and the app
// still works online: only opening it without a connection needs the worker.
import swUrl from './sw.ts?worker&url';

export type SwState = 'unsupported' | 'refused' | 'active';

/** Files this page fetched before the worker took control: the worker keeps copies of them. */
function loadedAssets(): string[] {
  const urls = performance.getEntriesByType('resource').map((e) => e.name)
    .filter((u) => {
      const url = new URL(u, location.href);
      return url.origin === location.origin && url.pathname.startsWith('/assets/');
    });
  return [...new Set(urls)];
}

export async function registerFieldSw(): Promise<SwState> {
  if (!('serviceWorker' in navigator)) return 'unsupported';
  try {
    await navigator.serviceWorker.register(swUrl, { scope: '/field' });
  } catch (e) {
    console.warn('[field] the service worker was not registered; the app will not open offline:', (e as Error).message);
    return 'refused';
  }
  const reg = await navigator.serviceWorker.ready;
  const send = () => reg.active?.postMessage({ type: 'precache', urls: loadedAssets() });
  send();
  // Chunks loaded a little later (the map, its worker) are sent once more when things have settled.
  setTimeout(send, 8000);
  return 'active';
}
