// `npm run cluster -- start|status|stop`: the app as a cluster on this machine, from Debian packages only —
// the embedded PostgreSQL as primary and a streaming hot standby of it (pg_basebackup), ONEMAP_INSTANCES app
// instances (2 by default) and HAProxy in front on PORT (8080) with health checks. DATABASE_URL and
// DATABASE_REPLICA_URL point the instances at existing servers instead. Logs, pids and the HAProxy
// configuration are in .data/cluster/ (scripts/cluster/run.ts does the work).
import { clusterStatus, hidePassword, RUN_DIR, startClusterRun, stopClusterRun, type ClusterStatus } from './cluster/run.ts';

function whole(v: string | undefined, name: string, fallback: number, max: number): number {
  if (!v) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${name}=${v}: give a whole number from 1 to ${max}`);
  return n;
}

function printStatus(s: ClusterStatus): void {
  const out: string[] = [];
  out.push(`primary   ${s.primary.up ? `up, ${s.primary.role}` : 'DOWN'}  ${s.primary.url}`);
  if (!s.replica) out.push('replica   none');
  else {
    const r = s.replica;
    const lag = r.lagBytes === null ? 'lag unknown' : `replay lag ${r.lagBytes} bytes${r.replayAgeS === null ? '' : `, last replayed transaction ${r.replayAgeS} s ago`}`;
    out.push(`replica   ${r.standby ? `up, hot standby, ${lag}; WAL sender ${r.sender ?? 'none'}, slot ${r.slotActive === null ? 'missing' : r.slotActive ? 'active' : 'inactive'}` : 'DOWN'}  ${r.url}`);
  }
  for (const i of s.instances) {
    const h = i.health.status === 200 ? `healthy (instance ${i.health.instance}, database ${i.health.role})` : i.health.status ? `unhealthy (${i.health.status})` : 'not answering';
    out.push(`${i.name.padEnd(9)} ${i.running ? `running, pid ${i.pid}` : 'not running'}, 127.0.0.1:${i.port}, ${h}  log ${i.log}`);
  }
  const servers = s.balancer.servers?.filter((x) => x.backend === 'app').map((x) => `${x.server} ${x.status}`).join(', ');
  out.push(`haproxy   ${s.balancer.running ? `running on port ${s.balancer.port}; ${servers ?? 'runtime socket not answering'}` : 'not running'}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

async function main(): Promise<void> {
  const cmd = process.argv[2] ?? 'status';
  if (cmd === 'start') {
    const port = whole(process.env.PORT, 'PORT', 8080, 65_000);
    const s = await startClusterRun({
      runDir: RUN_DIR,
      host: process.env.HOST ?? '0.0.0.0',
      port,
      instances: whole(process.env.ONEMAP_INSTANCES, 'ONEMAP_INSTANCES', 2, 64),
      instanceFirstPort: port + 1,
      replicaFirstPort: 54360,
      databaseUrl: process.env.DATABASE_URL || undefined,
      replicaUrl: process.env.DATABASE_REPLICA_URL || undefined,
    });
    process.stdout.write(`\n  武昌“一张图” Wuchang One-Map cluster: ${s.url}\n\n`);
    process.stdout.write(`  balancer  HAProxy on ${s.balancer.host}:${s.balancer.port} → ${s.instances.map((i) => `${i.name} (127.0.0.1:${i.port})`).join(', ')}\n`);
    process.stdout.write(`  primary   ${hidePassword(s.primary.url)}\n  replica   ${s.replica ? hidePassword(s.replica.url) : 'none'}\n`);
    process.stdout.write(`  logs      ${s.runDir}/ (npm run cluster -- status | stop)\n\n`);
  } else if (cmd === 'status') {
    const s = await clusterStatus(RUN_DIR);
    if (!s) process.stdout.write(`not started (nothing in ${RUN_DIR}); npm run cluster -- start\n`);
    else printStatus(s);
  } else if (cmd === 'stop') {
    await stopClusterRun(RUN_DIR);
  } else {
    throw new Error(`unknown command ${cmd}; use start, status or stop`);
  }
}

main().catch((e) => {
  process.stderr.write(`[cluster] ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
