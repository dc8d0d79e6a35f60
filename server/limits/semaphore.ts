// A counting semaphore whose waiters queue in order and give up after a while: work beyond `max` waits its
// turn instead of being refused at once, and is refused only when the turn does not come in time.
interface Waiter { grant(): void; drop(): void }

export class Semaphore {
  private used = 0;
  private readonly queue: Waiter[] = [];

  constructor(readonly max: number) {}

  /**
   * A slot: `granted` is true once it is held (release() it then), false after `waitMs` or cancel()
   * while waiting. cancel() after the grant does nothing: the slot is the caller's to release.
   */
  acquire(waitMs: number): { granted: Promise<boolean>; cancel(): void } {
    if (this.used < this.max && !this.queue.length) {
      this.used++;
      return { granted: Promise.resolve(true), cancel() {} };
    }
    let waiter!: Waiter;
    const granted = new Promise<boolean>((resolve) => {
      const end = (ok: boolean) => {
        clearTimeout(timer);
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        resolve(ok);
      };
      const timer = setTimeout(() => end(false), waitMs);
      waiter = { grant: () => end(true), drop: () => end(false) };
      this.queue.push(waiter);
    });
    return { granted, cancel: () => waiter.drop() };
  }

  /** Hands the slot to the first waiter, or frees it. */
  release(): void {
    const next = this.queue.shift();
    if (next) next.grant();
    else this.used = Math.max(0, this.used - 1);
  }
}
