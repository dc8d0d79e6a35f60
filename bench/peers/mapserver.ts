// MapServer 8 from Debian as a peer for `npm run bench -- peers`: mapserv as FastCGI processes (spawn-fcgi)
// behind nginx, both run from a temporary directory with their own configuration, pid files and logs (never
// the system services), reading the same PostGIS tables as our server. Installs the packages when missing
// and running as root, as scripts/db.ts does for PostgreSQL.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { anyFreePort as freePort } from '../../server/ports.ts';

const MAPSERV = '/usr/lib/cgi-bin/mapserv';
const PACKAGES = ['cgi-mapserver', 'spawn-fcgi', 'nginx'];
const BINARIES = [MAPSERV, '/usr/bin/spawn-fcgi', '/usr/sbin/nginx'];

/** The same properties our layers publish, so both servers read and encode the same columns. */
const CASE_TILE_ITEMS = ['id', 'case_no', 'status', 'class_code', 'item_code', 'reported_at'];
const PIPE_TILE_ITEMS = ['id', 'code', 'usage', 'network', 'diameter_mm', 'material', 'length_m', 'sgrade', 'fgrade'];
const CASE_ITEMS = ['id', 'case_no', 'class_code', 'item_code', 'source', 'status', 'reported_at', 'dispatched_at', 'deadline_at',
  'closed_at', 'grid_code', 'community_code', 'street_code', 'updated_at', 'synthetic'];

export interface MapServer {
  base: string;
  version: string;
  processes: number;
  tilePath(layer: 'cases' | 'pipes', z: number, x: number, y: number): string;
  itemsPath(query: string): string;
  /** `n` new mapserv processes: each keeps the memory of the biggest tile it made (GBs at 1 M points) until it ends. */
  restart(n: number): Promise<void>;
  stop(): Promise<void>;
}

function installPackages(): void {
  if (BINARIES.every((b) => existsSync(b))) return;
  if (process.getuid?.() !== 0) throw new Error(`MapServer is missing; install ${PACKAGES.join(' ')} (needs root)`);
  console.log(`[peers] installing ${PACKAGES.join(', ')} from Debian (first run only)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...PACKAGES]]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) throw new Error(`apt-get ${args[0]} failed (exit ${r.status})`);
  }
  // The package's postinst may start the system nginx; ours runs on its own port, so that does not matter.
  if (!BINARIES.every((b) => existsSync(b))) throw new Error(`installed ${PACKAGES.join(' ')} but ${BINARIES.join(', ')} are not all there`);
}

/** libpq's key=value connection string of a postgres:// URL (values single-quoted, as libpq reads them). */
function libpq(url: string): string {
  const u = new URL(url);
  const q = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return [['host', u.hostname], ['port', u.port || '5432'], ['dbname', decodeURIComponent(u.pathname.slice(1))],
    ['user', decodeURIComponent(u.username)], ['password', decodeURIComponent(u.password)]]
    .filter(([, v]) => v).map(([k, v]) => `${k}=${q(v)}`).join(' ');
}

const mapString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

function layer(name: string, type: 'POINT' | 'LINE', conn: string, geom: string, srid: number, items: string[], queryable: boolean): string {
  return `  LAYER
    NAME "${name}"
    TYPE ${type}
    STATUS ON
    CONNECTIONTYPE POSTGIS
    CONNECTION ${mapString(conn)}
    # Keep each FastCGI process's connection between requests, as a production MapServer would.
    PROCESSING "CLOSE_CONNECTION=DEFER"
    DATA "${geom} from ${name} using unique id using srid=${srid}"
    PROJECTION "init=epsg:${srid}" END
    METADATA
      "gml_include_items" "${items.join(',')}"
      "gml_featureid" "id"
      "gml_types" "auto"
      "ows_title" "${name}"
    END
${queryable ? '    TEMPLATE "void"\n' : ''}    CLASS NAME "all" END
  END`;
}

/**
 * Two mapfiles: tiles read geom3857 (the column and GiST index our tiles use, so MapServer reprojects
 * nothing), the OGC API collection reads geom in WGS84 (what its GeoJSON and bbox are in).
 */
function mapfiles(dir: string, conn: string, onlineBase: string): { tiles: string; items: string } {
  const head = (name: string, srid: number) => `MAP
  NAME "${name}"
  EXTENT ${srid === 4326 ? '114.0 30.3 114.6 30.8' : '12690000 3560000 12760000 3630000'}
  SIZE 256 256
  PROJECTION "init=epsg:${srid}" END
  OUTPUTFORMAT
    NAME "mvt"
    DRIVER MVT
    FORMATOPTION "EXTENT=4096"
    FORMATOPTION "EDGE_BUFFER=64"
  END
  IMAGETYPE "mvt"
  WEB
    METADATA
      "ows_title" "${name}"
      "ows_enable_request" "*"
      "oga_enable_request" "*"
      "ows_srs" "EPSG:4326 EPSG:3857"
      "oga_onlineresource" "${onlineBase}/ogcapi"
      "oga_html_template_directory" "/usr/share/mapserver/ogcapi/templates/html-plain/"
    END
  END
`;
  const tiles = path.join(dir, 'tiles.map');
  writeFileSync(tiles, `${head('tiles', 3857)}${layer('cases', 'POINT', conn, 'geom3857', 3857, CASE_TILE_ITEMS, false)}
${layer('pipes', 'LINE', conn, 'geom3857', 3857, PIPE_TILE_ITEMS, false)}
END
`);
  const items = path.join(dir, 'items.map');
  writeFileSync(items, `${head('items', 4326)}${layer('cases', 'POINT', conn, 'geom', 4326, CASE_ITEMS, true)}
END
`);
  return { tiles, items };
}

function nginxConf(dir: string, port: number, fcgiPort: number, config: string): string {
  const file = path.join(dir, 'nginx.conf');
  writeFileSync(file, `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/ngx-body;
  fastcgi_temp_path ${dir}/ngx-fastcgi;
  proxy_temp_path ${dir}/ngx-proxy;
  uwsgi_temp_path ${dir}/ngx-uwsgi;
  scgi_temp_path ${dir}/ngx-scgi;
  # Compressed answers for clients that ask, as a production nginx would send them.
  gzip on;
  gzip_min_length 1024;
  gzip_types application/json application/geo+json application/vnd.mapbox-vector-tile application/x-protobuf;
  server {
    listen 127.0.0.1:${port};
    location /mapserv {
      fastcgi_split_path_info ^(/mapserv)(/.*)?$;
      fastcgi_param MAPSERVER_CONFIG_FILE ${config};
      fastcgi_param QUERY_STRING $query_string;
      fastcgi_param REQUEST_METHOD $request_method;
      fastcgi_param CONTENT_TYPE $content_type;
      fastcgi_param CONTENT_LENGTH $content_length;
      fastcgi_param SCRIPT_NAME $fastcgi_script_name;
      fastcgi_param PATH_INFO $fastcgi_path_info;
      fastcgi_param REQUEST_URI $request_uri;
      fastcgi_param SERVER_NAME 127.0.0.1;
      fastcgi_param SERVER_PORT ${port};
      fastcgi_param HTTP_HOST $http_host;
      fastcgi_read_timeout 900s;
      fastcgi_pass 127.0.0.1:${fcgiPort};
    }
  }
}
`);
  return file;
}

async function waitFor(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`MapServer behind nginx did not answer ${url} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Whether the process still runs: a zombie (ended, not yet reaped by whoever inherited it) does not. */
function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Starts `processes` mapserv FastCGI processes and nginx in front of them; `stop()` ends both and removes the directory. */
export async function startMapServer(dbUrl: string, processes: number): Promise<MapServer> {
  installPackages();
  const version = spawnSync(MAPSERV, ['-v'], { encoding: 'utf8' }).stdout.trim().split(' ').slice(0, 3).join(' ');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'peers-mapserver-'));
  chmodSync(dir, 0o755); // nginx's workers (user nobody) write their temporary files under it
  const port = await freePort();
  let fcgiPort = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const maps = mapfiles(dir, libpq(dbUrl), `${base}/mapserv/ITEMS`);
  const config = path.join(dir, 'mapserver.conf');
  writeFileSync(config, `CONFIG
  ENV
    MS_MAP_NO_PATH "1"
    MS_ERRORFILE "${dir}/mapserver.log"
  END
  MAPS
    TILES "${maps.tiles}"
    ITEMS "${maps.items}"
  END
END
`);
  const fcgiPids = path.join(dir, 'spawn-fcgi.pid');
  let nginx: ChildProcess | null = null;
  const spawnFcgi = (n: number) => {
    const sf = spawnSync('spawn-fcgi', ['-a', '127.0.0.1', '-p', String(fcgiPort), '-F', String(n), '-P', fcgiPids, '--', MAPSERV],
      { encoding: 'utf8', env: { ...process.env, MAPSERVER_CONFIG_FILE: config } });
    if (sf.status !== 0) throw new Error(`spawn-fcgi failed (exit ${sf.status}): ${sf.stderr}`);
  };
  const stopFcgi = async () => {
    const pids = existsSync(fcgiPids) ? readFileSync(fcgiPids, 'utf8').split(/\s+/).filter(Boolean).map(Number) : [];
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 50 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(fcgiPids, { force: true });
  };
  const stop = async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx!.once('exit', r));
      nginx.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    await stopFcgi();
    rmSync(dir, { recursive: true, force: true });
  };
  const writeNginxConf = () => nginxConf(dir, port, fcgiPort, config);
  const ready = () => waitFor(`${base}/mapserv/ITEMS/ogcapi/collections?f=json`, 10_000);
  try {
    spawnFcgi(processes);
    nginx = spawn('nginx', ['-c', writeNginxConf(), '-p', dir, '-e', `${dir}/nginx-error.log`], { stdio: ['ignore', 'ignore', 'inherit'] });
    nginx.on('exit', (code) => {
      if (code) console.error(`[peers] nginx exited with ${code}: ${existsSync(`${dir}/nginx-error.log`) ? readFileSync(`${dir}/nginx-error.log`, 'utf8').slice(-500) : ''}`);
    });
    await ready();
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    base, version, processes,
    tilePath: (l, z, x, y) => `/mapserv?map=TILES&mode=tile&tilemode=gmap&layers=${l}&tile=${x}+${y}+${z}`,
    itemsPath: (query) => `/mapserv/ITEMS/ogcapi/collections/cases/items?f=json&${query}`,
    // On a new port, which nginx is told of by reloading its configuration (SIGHUP): the old port may
    // not be free again at once.
    async restart(n) {
      await stopFcgi();
      fcgiPort = await freePort();
      spawnFcgi(n);
      writeNginxConf();
      nginx?.kill('SIGHUP');
      await ready();
    },
    stop,
  };
}
