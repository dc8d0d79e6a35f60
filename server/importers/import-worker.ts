// Entry of the import worker thread (started by run-in-worker.ts): runs one task and posts its result, the
// pids of the GDAL processes it starts (so that its owner can kill them if it ends the worker), its stage,
// and refusals as their message (a BadRequestError does not survive the thread boundary as a class).
import { parentPort, workerData } from 'node:worker_threads';
import { ApiError } from '../http/errors.ts';
import { runTask, type WorkerTask } from './worker-tasks.ts';

export type WorkerMessage =
  | { type: 'done'; result: unknown }
  | { type: 'refused'; status: number; code: string; message: string; detail?: string }
  | { type: 'failed'; message: string }
  | { type: 'spawn'; pid: number; running: boolean }
  | { type: 'stage'; stage: 'topology' };

const port = parentPort!;
const post = (m: WorkerMessage) => port.postMessage(m);

try {
  const result = await runTask(workerData as WorkerTask, (pid, running) => post({ type: 'spawn', pid, running }), (stage) => post({ type: 'stage', stage }));
  post({ type: 'done', result });
} catch (err) {
  if (err instanceof ApiError) {
    const detail = (err as { detail?: unknown }).detail;
    post({ type: 'refused', status: err.statusCode, code: err.code, message: err.message, ...(typeof detail === 'string' ? { detail } : {}) });
  } else post({ type: 'failed', message: (err as Error)?.stack ?? String(err) });
}
