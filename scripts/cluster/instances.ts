// The app instances of `npm run cluster`: each the built server (dist-server/scripts/start.js, what
// `npm start` runs) on an internal port of its own, named by ONEMAP_INSTANCE, detached, logging to the run dir.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../db.ts';
import { buildFrontend } from '../build-frontend.ts';
import { alive, spawnDetached, tail, waitFor } from './processes.ts';

const ENTRY = path.join(repoRoot, 'dist-server', 'scripts', 'start.js');

/** The server and the frontend built once, before any instance starts (else each would build them at once). */
export function buildOnce(): void {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', "await (await import('./scripts/build-server.mjs')).buildServerIfStale();"], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the server (dist-server/) failed');
  buildFrontend();
}

export interface Instance { name: string; port: number; pid: number; log: string }

export interface InstanceEnv {
  primaryUrl: string;
  replicaUrl: string | null;
  /** Seeding: the first instance seeds an empty database (as `npm start` does); the others never (ONEMAP_SEED=none). */
  seed: boolean;
  extra: NodeJS.ProcessEnv;
}

export function startInstance(name: string, port: number, runDir: string, e: InstanceEnv): Instance {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...e.extra,
    PORT: String(port),
    HOST: '127.0.0.1',
    ONEMAP_INSTANCE: name,
    DATABASE_URL: e.primaryUrl,
    // HAProxy on this machine adds X-Forwarded-For; only it is believed.
    ONEMAP_TRUST_PROXY: e.extra.ONEMAP_TRUST_PROXY ?? process.env.ONEMAP_TRUST_PROXY ?? '127.0.0.1',
  };
  if (e.replicaUrl) env.DATABASE_REPLICA_URL = e.replicaUrl;
  else delete env.DATABASE_REPLICA_URL;
  if (!e.seed) env.ONEMAP_SEED = 'none';
  const log = path.join(runDir, `${name}.log`);
  const pid = spawnDetached(process.execPath, [ENTRY], env, log);
  return { name, port, pid, log };
}

/** Whether `pid` is still one of our instances (a pid of a stopped run may belong to another process by now). */
export function isInstance(pid: number | undefined): boolean {
  if (!alive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(ENTRY);
  } catch {
    return false;
  }
}

export interface InstanceHealth { status: number; instance?: string; role?: string; error?: string }

export async function instanceHealth(port: number, timeoutMs = 2000): Promise<InstanceHealth> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.json()) as { instance?: string; role?: string };
    return { status: res.status, instance: body.instance, role: body.role };
  } catch (err) {
    return { status: 0, error: (err as Error).message };
  }
}

/** Waits until the instance answers /api/health with 200; throws with its log's end when it exits first. */
export async function waitHealthy(i: Instance, ms: number): Promise<void> {
  await waitFor(`${i.name} on port ${i.port} to answer /api/health (log: ${i.log})`, async () => {
    if (!isInstance(i.pid)) throw new Error(`${i.name} exited before it answered; the end of ${i.log}:\n${tail(i.log)}`);
    return (await instanceHealth(i.port)).status === 200;
  }, ms, 200);
}
