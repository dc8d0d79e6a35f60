// Import jobs of this server: an upload is answered at once with a job id, and the import runs behind it
// (one at a time, so two large imports do not compete for the same cores); clients poll the job. The file
// waits in this process's memory, but the job is a row (job-rows.ts): after a restart, or from another server,
// a poll still says how it ended — done with its import, failed with why, or cut short by the restart.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { ApiError } from '../http/errors.ts';
import type { Actor } from '../auth/audit.ts';
import { runImport, type ImportOptions } from './import.ts';
import { IMPORT_LIMITS, type ImportLimits } from './limits.ts';
import type { Refusal } from './run-in-worker.ts';
import { endJobFailed, insertJob, readJob, serverName, sweepJobs, touchJobs, updateJobStage, type ImportJob } from './job-rows.ts';

export type { ImportJob } from './job-rows.ts';

export const MAX_QUEUED = 10;
/** How often this server says its waiting and running jobs are alive (well inside SILENT_SECONDS). */
const HEARTBEAT_MS = 10_000;
/** Progress within a stage is written at most this often. */
const PROGRESS_MS = 1000;

export const UNKNOWN_JOB = 'no such import job: ended jobs are kept for 7 days (GET /api/imports lists the imports that were written)';

export class ImportJobs {
  private readonly server = serverName(randomUUID().slice(0, 8));
  private chain: Promise<void> = Promise.resolve();
  private waiting = 0;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(private readonly pool: pg.Pool, private readonly log: (err: unknown) => void = () => {}, private readonly limits: ImportLimits = IMPORT_LIMITS) {}

  get(id: string): Promise<ImportJob | undefined> {
    return readJob(this.pool, id);
  }

  async start(buf: Buffer, opts: ImportOptions, actor: Actor, ip: string | null = null): Promise<ImportJob> {
    if (this.waiting >= MAX_QUEUED) throw new ApiError(429, 'too many requests', `${this.waiting} imports are waiting; try again when they are done`);
    await sweepJobs(this.pool);
    const id = randomUUID();
    await insertJob(this.pool, id, opts.filename, this.server);
    this.waiting++;
    this.heartbeat ??= setInterval(() => void touchJobs(this.pool, this.server).catch(() => {}), HEARTBEAT_MS).unref();
    this.chain = this.chain.then(() => this.run(id, buf, opts, actor, ip)).finally(() => {
      if (--this.waiting === 0 && this.heartbeat) {
        clearInterval(this.heartbeat);
        this.heartbeat = null;
      }
    });
    return (await readJob(this.pool, id))!;
  }

  /** Resolves when every job started so far has ended (tests, shutdown). */
  idle(): Promise<void> {
    return this.chain;
  }

  private async run(id: string, buf: Buffer, opts: ImportOptions, actor: Actor, ip: string | null): Promise<void> {
    // Stage changes are written as they come, progress within a stage now and then; in order, one at a time.
    let written = { stage: '', at: 0 };
    let writes = Promise.resolve();
    const progress = (stage: string, f: number) => {
      if (stage === written.stage && Date.now() - written.at < PROGRESS_MS) return;
      written = { stage, at: Date.now() };
      writes = writes.then(() => updateJobStage(this.pool, id, stage, f)).catch(this.log);
    };
    try {
      progress('starting', 0);
      await runImport(this.pool, buf, { ...opts, jobId: id, limits: this.limits }, progress, actor, ip);
    } catch (err) {
      const why = err instanceof ApiError ? err.message : 'the import failed on the server; nothing was written';
      if (!(err instanceof ApiError)) this.log(err);
      // GDAL's own words (temporary paths, what a file pointed at) are for the log; the job says `why`.
      else if (typeof (err as Refusal).detail === 'string') this.log({ msg: `import job ${id} refused: ${why}`, detail: (err as Refusal).detail });
      await writes;
      await endJobFailed(this.pool, id, why).catch(this.log);
    }
    await writes;
  }
}
