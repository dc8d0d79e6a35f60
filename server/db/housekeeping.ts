// Housekeeping on a timer (folding case-count deltas, sweeping photos no case took): work that keeps the
// database tidy but that no reader waits for. So a beat is skipped while the last run goes on, and a
// database that is away is not an error worth logging: the next beat tries again.
import { isDbUnavailable } from './errors.ts';

export class Housekeeping<T> {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<T> | null = null;

  /** `idle` is what a run that failed yields. */
  constructor(private readonly task: () => Promise<T>, private readonly idle: T, private readonly onError: (err: unknown) => void = () => {}) {}

  /** Every `intervalMs`; with `now`, also at once (work a stopped server left). */
  start(intervalMs: number, opts: { now?: boolean } = {}): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.run(), intervalMs).unref();
    if (opts.now) void this.run();
  }

  /** One run now, unless one is running (then that one). */
  run(): Promise<T> {
    this.running ??= this.task()
      .catch((err) => { if (!isDbUnavailable(err)) this.onError(err); return this.idle; })
      .finally(() => { this.running = null; });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
