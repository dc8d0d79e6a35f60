// Free TCP ports on the loopback, for what this project starts beside itself: the embedded PostgreSQL and
// its standby (scripts/db.ts, scripts/cluster/), MapServer's nginx (bench/peers/), servers in tests.
import net from 'node:net';

/** Whether nothing listens on `port` of 127.0.0.1 now. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** The first free port from `first` on (within `span`) that is not in `taken` (ports handed out before anything listens on them). */
export async function freePortFrom(first: number, taken: readonly number[] = [], span = 200): Promise<number> {
  for (let p = first; p < first + span; p++) if (!taken.includes(p) && await portFree(p)) return p;
  throw new Error(`no free port in ${first}–${first + span - 1}`);
}

/** A port the system picks as free now (it may be taken again before it is used: bind soon). */
export function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = (srv.address() as net.AddressInfo);
      srv.close(() => resolve(port));
    });
  });
}
