// Processes and ports of `npm run cluster`: what runs detached from the command that started it (so that
// `start` returns and `status`/`stop` find it again by pid), waiting for a condition.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { processAlive } from '../../server/process-alive.ts';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Starts `cmd` in its own process group with stdout and stderr appended to `logFile`; returns its pid. It outlives us. */
export function spawnDetached(cmd: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): number {
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(cmd, args, { env, detached: true, stdio: ['ignore', fd, fd] });
    child.unref();
    if (!child.pid) throw new Error(`could not start ${cmd}`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

export const alive = (pid: number | undefined | null): boolean => !!pid && processAlive(pid);

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`. False when it was not running. */
export async function stopPid(pid: number | undefined, graceMs = 10_000): Promise<boolean> {
  if (!alive(pid)) return false;
  process.kill(pid!, 'SIGTERM');
  const t0 = Date.now();
  while (alive(pid) && Date.now() - t0 < graceMs) await sleep(50);
  if (alive(pid)) process.kill(pid!, 'SIGKILL');
  while (alive(pid)) await sleep(20);
  return true;
}

/** Polls `check` every `everyMs` until it is true; throws `what` after `ms`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, ms: number, everyMs = 100): Promise<void> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${Math.round(ms / 1000)} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

export function tail(file: string, lines = 20): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '';
}
