// Photos no case took (an upload whose report was never sent) are removed a day after upload: they may
// show people and places, and nobody but their uploader can read them. Housekeeping on a timer, as the
// cell fold: once when the server starts (so `npm start` clears what a stopped server left) and hourly,
// quiet while the database is away.
import type pg from 'pg';
import { isDbUnavailable } from '../db/errors.ts';
import { sweepUnattachedPhotos } from './media.ts';

export const SWEEP_INTERVAL_MS = 3600_000;

export class PhotoSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(private readonly pool: pg.Pool, private readonly onError: (err: unknown) => void = () => {}) {}

  start(intervalMs = SWEEP_INTERVAL_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweep(), intervalMs).unref();
    void this.sweep();
  }

  /** One sweep now, unless one is running (then that one); how many photos went. */
  sweep(): Promise<number> {
    this.running ??= sweepUnattachedPhotos(this.pool)
      .catch((err) => { if (!isDbUnavailable(err)) this.onError(err); return 0; })
      .finally(() => { this.running = null; });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
