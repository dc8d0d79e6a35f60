// Runs an import task (worker-tasks.ts) in a worker thread of its own, with a heap limit and a time limit:
// a file that needs too much memory or time ends the worker — and the GDAL processes it started — and is
// refused; the server goes on. From the sources (the tests, `npm run dev`) the worker loads them through tsx
// (a worker does not inherit the main thread's loader); the built server's worker is plain JavaScript.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ApiError, BadRequestError } from '../http/errors.ts';
import { MODULE_EXT } from '../root.ts';
import type { WorkerMessage } from './import-worker.ts';
import type { ImportLimits } from './limits.ts';
import type { Stage, WorkerTask } from './worker-tasks.ts';

const entry = new URL(`./import-worker${MODULE_EXT}`, import.meta.url).href;
const BOOT = MODULE_EXT === '.ts'
  ? `import { register } from ${JSON.stringify(pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href)}; register(); await import(${JSON.stringify(entry)});`
  : `import ${JSON.stringify(entry)};`;

/** A refusal from the worker: its message is for the job status, `detail` (GDAL's own text) for the log. */
export type Refusal = ApiError & { detail?: string };

export function runInWorker<T>(task: WorkerTask, limits: Pick<ImportLimits, 'workerSeconds' | 'workerHeapMb'>, onStage: (stage: Stage) => void = () => {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(BOOT, { eval: true, workerData: task, resourceLimits: { maxOldGenerationSizeMb: limits.workerHeapMb } });
    const gdal = new Set<number>();
    let settled = false;
    const end = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // GDAL processes do not end with the thread that started them.
      for (const pid of gdal) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(() => end(() => reject(new BadRequestError(`reading the file and building its network took more than ${limits.workerSeconds} s; refused`))), limits.workerSeconds * 1000);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'spawn') { if (m.running) gdal.add(m.pid); else gdal.delete(m.pid); }
      else if (m.type === 'stage') onStage(m.stage);
      else if (m.type === 'done') end(() => resolve(m.result as T));
      else if (m.type === 'refused') end(() => reject(Object.assign(new ApiError(m.status, m.code, m.message), m.detail ? { detail: m.detail } : {})));
      else end(() => reject(new Error(`import worker: ${m.message}`)));
    });
    worker.on('error', (err: Error & { code?: string }) => end(() => reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? new BadRequestError(`reading the file and building its network needs more than the ${limits.workerHeapMb} MB of memory an import may use; refused`)
      : err)));
    worker.on('exit', (code) => end(() => reject(new Error(`the import worker stopped (exit ${code}) before it answered`))));
  });
}
