// The import_jobs table (migration 014): what a job is, as clients poll it, and every statement on it.
import os from 'node:os';
import type pg from 'pg';
import { processAlive } from '../process-alive.ts';
import type { ImportReport } from './import.ts';

type Db = pg.Pool | pg.ClientBase;

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

/** A job's server has not been heard of for this long: it stopped, and its import (never committed) wrote nothing. */
export const SILENT_SECONDS = 60;
/** Ended jobs are kept this long (the imports and the audit log keep the rest). */
const KEEP = '7 days';
export const INTERRUPTED = 'the server running this import stopped before it finished; nothing was written — send the file again';

export function serverName(instance: string): string {
  return `${os.hostname()}:${process.pid}:${instance}`;
}

export async function insertJob(db: Db, id: string, filename: string, server: string): Promise<void> {
  await db.query(`INSERT INTO import_jobs (id, state, stage, filename, server) VALUES ($1, 'queued', 'queued', $2, $3)`, [id, filename, server]);
}

/** Stage and progress of a running job; never reopens one that has ended. */
export async function updateJobStage(db: Db, id: string, stage: string, progress: number): Promise<void> {
  await db.query(`UPDATE import_jobs SET state = 'running', stage = $2, progress = $3, seen_at = now() WHERE id = $1 AND ended_at IS NULL`,
    [id, stage, Math.min(1, Math.max(0, progress))]);
}

/** Called inside the import's transaction, so the job is done exactly when the import is committed. */
export async function endJobDone(db: Db, id: string, importId: number): Promise<void> {
  await db.query(`UPDATE import_jobs SET state = 'done', stage = 'done', progress = 1, import_id = $2, ended_at = now(), seen_at = now() WHERE id = $1`, [id, importId]);
}

export async function endJobFailed(db: Db, id: string, error: string): Promise<void> {
  await db.query(`UPDATE import_jobs SET state = 'failed', stage = 'failed', error = $2, ended_at = now() WHERE id = $1 AND ended_at IS NULL`, [id, error]);
}

/** This server's unfinished jobs are still alive (they may wait behind a long import). */
export async function touchJobs(db: Db, server: string): Promise<void> {
  await db.query('UPDATE import_jobs SET seen_at = now() WHERE server = $1 AND ended_at IS NULL', [server]);
}

export async function sweepJobs(db: Db): Promise<void> {
  await db.query(`DELETE FROM import_jobs WHERE ended_at < now() - interval '${KEEP}'`);
}

interface JobRow {
  id: string; state: ImportJob['state']; stage: string; progress: number; filename: string; error: string | null;
  import_id: number | null; report: ImportReport | null; server: string; silent: boolean; created_at: Date; ended_at: Date | null;
}

/** Whether an unfinished job's server is gone: a process of this machine that no longer runs, or silence. */
function serverGone(row: JobRow): boolean {
  const [host, pid] = row.server.split(':');
  if (host === os.hostname() && Number(pid) !== process.pid && !processAlive(Number(pid))) return true;
  return row.silent;
}

export async function readJob(db: Db, id: string): Promise<ImportJob | undefined> {
  const read = async () => (await db.query<JobRow>(
    `SELECT j.id, j.state, j.stage, j.progress, j.filename, j.error, j.import_id, i.report, j.server, j.created_at, j.ended_at,
            j.seen_at < now() - make_interval(secs => $2) AS silent
     FROM import_jobs j LEFT JOIN imports i ON i.id = j.import_id WHERE j.id = $1`, [id, SILENT_SECONDS])).rows[0];
  let row = await read();
  if (row && !row.ended_at && serverGone(row)) {
    await endJobFailed(db, id, INTERRUPTED);
    row = await read();
  }
  if (!row) return undefined;
  return {
    id: row.id, state: row.state, stage: row.stage, progress: row.progress, filename: row.filename,
    ...(row.error ? { error: row.error } : {}),
    ...(row.import_id !== null && row.report ? { import: { id: row.import_id, report: row.report } } : {}),
    created_at: row.created_at.toISOString(),
    ...(row.ended_at ? { ended_at: row.ended_at.toISOString() } : {}),
  };
}
