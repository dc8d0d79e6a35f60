// HAProxy in front of the app instances of `npm run cluster` (Debian's package, installed like scripts/db.ts
// installs PostgreSQL): health checks on /api/health fast enough that a dead instance is out within 2 s,
// requests that could not reach an instance sent to another, the live stream (SSE) passed through unbuffered
// with long timeouts. Its runtime socket answers `status`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';

export const HAPROXY = '/usr/sbin/haproxy';

export function installHaproxy(): void {
  if (existsSync(HAPROXY)) return;
  if (process.getuid?.() !== 0) throw new Error('HAProxy is missing; install the Debian package haproxy (needs root)');
  process.stderr.write('[cluster] installing haproxy from Debian (first run only)…\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'haproxy']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) throw new Error(`apt-get ${args[0]} failed (exit ${r.status})`);
  }
}

export interface BalancerSpec {
  host: string;
  port: number;
  /** The runtime API's socket (status reads the servers' states there). */
  socket: string;
  instances: { name: string; port: number }[];
}

export function haproxyConfig(b: BalancerSpec): string {
  const servers = (track: boolean) => b.instances.map((i) => `  server ${i.name} 127.0.0.1:${i.port}${track ? ` track app/${i.name}` : ` check cookie ${i.name}`}`).join('\n');
  return `# Written by npm run cluster (scripts/cluster/haproxy.ts); rewritten on every start.
global
  maxconn 8000
  stats socket ${b.socket} mode 600 level admin
  log stderr format raw local0 notice

defaults
  mode http
  log global
  option dontlognull
  timeout connect 1s
  timeout client 60s
  timeout server 60s
  timeout http-request 10s
  timeout http-keep-alive 10s
  # A busy instance's /api/health waits for a pooled connection: a slow answer is not a dead instance (a
  # dead one refuses the connection at once, so it is still out within a second).
  timeout check 4s
  # A request that could not be delivered (refused, reset, no answer at all) goes to another instance.
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response response-timeout
  # The app reads the client's address from X-Forwarded-For (ONEMAP_TRUST_PROXY=127.0.0.1).
  option forwardfor

frontend onemap
  bind ${b.host}:${b.port}
  # Writes are retried only when nothing reached an instance: a report is never made twice by us.
  http-request disable-l7-retry if !METH_GET !METH_HEAD !METH_OPTIONS
  use_backend live if { path /api/live }
  default_backend app

backend app
  balance roundrobin
  # A browser stays with one instance while it is up: TileJSON's tile versions count each process's own
  # invalidations (server/tiles/service.ts), so another instance's URLs would miss the long browser cache
  # and reload the layer. Clients without cookies (feeds, benchmarks) are spread round robin.
  cookie onemap_srv insert indirect nocache httponly attr "SameSite=Lax"
  option httpchk
  http-check send meth GET uri /api/health
  http-check expect status 200
  # Checked every 0.5 s: two failures (≤ 1 s) take an instance out, one success brings it back.
  default-server inter 500ms fastinter 500ms downinter 1s fall 2 rise 1
  http-response set-header X-Served-By %[srv_name]
${servers(false)}

# Server-Sent Events: one long response per page, unbuffered, idle for as long as the page stays (the
# server's heartbeats keep it alive); leastconn spreads the pages. Same instances, same health (track); the
# pages of an instance taken out are cut so that they reconnect (Last-Event-ID) to another.
backend live
  balance leastconn
  timeout server 24h
  timeout tunnel 24h
  option http-no-delay
  default-server on-marked-down shutdown-sessions
  http-response set-header X-Served-By %[srv_name]
${servers(true)}
`;
}

/** Checks a configuration file (haproxy -c); throws with HAProxy's words when it is wrong. */
export function checkConfig(file: string): void {
  const r = spawnSync(HAPROXY, ['-c', '-q', '-f', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`HAProxy refuses ${file}:\n${r.stdout}${r.stderr}`);
}

export interface ServerState { backend: string; server: string; status: string; checkStatus: string }

/** The servers' states from the runtime API (`show stat`); null when HAProxy does not answer. */
export function serverStates(socket: string): Promise<ServerState[] | null> {
  return new Promise((resolve) => {
    const c = net.connect(socket);
    let out = '';
    c.setTimeout(2000, () => { c.destroy(); resolve(null); });
    c.on('error', () => resolve(null));
    c.on('data', (d) => (out += d));
    c.on('end', () => {
      const [head, ...rows] = out.trim().split('\n');
      if (!head?.startsWith('# ')) return resolve(null);
      const cols = head.slice(2).split(',');
      const at = (r: string[], name: string) => r[cols.indexOf(name)] ?? '';
      resolve(rows.map((l) => l.split(',')).filter((r) => !['FRONTEND', 'BACKEND'].includes(at(r, 'svname')))
        .map((r) => ({ backend: at(r, 'pxname'), server: at(r, 'svname'), status: at(r, 'status'), checkStatus: at(r, 'check_status') })));
    });
    c.write('show stat\n');
  });
}
