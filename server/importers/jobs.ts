// Import jobs of this server: an upload is answered at once with a job id, and the import runs behind it
// (one at a time, so two large imports do not compete for the same cores); clients poll the job. Jobs are
// forgotten an hour after they end, and with the process (a job its server's restart cut short wrote nothing);
// the imports themselves are rows in the database.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { ApiError } from '../features/errors.ts';
import type { Actor } from '../auth/audit.ts';
import { runImport, type ImportOptions, type ImportReport } from './import.ts';

export interface ImportJob {
  id: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  stage: string;
  progress: number;
  filename: string;
  error?: string;
  import?: { id: number; report: ImportReport };
  created_at: string;
  ended_at?: string;
}

const KEEP_MS = 60 * 60 * 1000;
export const MAX_QUEUED = 10;
/**
 * What a client polling a job this server does not know is told. Jobs live in the server's memory: a job
 * whose server was stopped or killed is gone with it, and its import, one transaction that never committed,
 * wrote nothing.
 */
export const UNKNOWN_JOB = 'no such import job: jobs are kept for an hour after they end, and not across a restart of the server '
  + '(an import interrupted by a restart was not written; GET /api/imports lists the imports that were)';

export class ImportJobs {
  private readonly jobs = new Map<string, ImportJob>();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly pool: pg.Pool, private readonly log: (err: unknown) => void = () => {}) {}

  get(id: string): ImportJob | undefined {
    return this.jobs.get(id);
  }

  start(buf: Buffer, opts: ImportOptions, actor: Actor, ip: string | null = null): ImportJob {
    this.sweep();
    const waiting = [...this.jobs.values()].filter((j) => j.state === 'queued' || j.state === 'running').length;
    if (waiting >= MAX_QUEUED) throw new ApiError(429, 'too many requests', `${waiting} imports are waiting; try again when they are done`);
    const job: ImportJob = { id: randomUUID(), state: 'queued', stage: 'queued', progress: 0, filename: opts.filename, created_at: new Date().toISOString() };
    this.jobs.set(job.id, job);
    this.chain = this.chain.then(() => this.run(job, buf, opts, actor, ip));
    return job;
  }

  /** Resolves when every job started so far has ended (tests, shutdown). */
  idle(): Promise<void> {
    return this.chain;
  }

  private async run(job: ImportJob, buf: Buffer, opts: ImportOptions, actor: Actor, ip: string | null): Promise<void> {
    job.state = 'running';
    try {
      job.import = await runImport(this.pool, buf, opts, (stage, f) => { job.stage = stage; job.progress = f; }, actor, ip);
      job.state = 'done';
    } catch (err) {
      job.state = 'failed';
      job.stage = 'failed';
      job.error = err instanceof ApiError ? err.message : 'the import failed on the server; nothing was written';
      if (!(err instanceof ApiError)) this.log(err);
    } finally {
      job.ended_at = new Date().toISOString();
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, j] of this.jobs) if (j.ended_at && now - Date.parse(j.ended_at) > KEEP_MS) this.jobs.delete(id);
  }
}
