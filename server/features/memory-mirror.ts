// A read-only copy of a few small tables held in memory for the hottest questions (the grid at a point,
// the nearest manholes), answered without a database round trip. The database stays the truth: the copy
// is dropped on every change to its tables (the change feed) and not used while the feed is down, when
// callers ask PostgreSQL instead. A copy is always loaded from the primary, even when a standby serves the
// read that asks for it: a standby behind the change that dropped it would fill it with what was dropped.
import { onPrimary } from '../db/read-scope.ts';
export interface Queryable {
  query<R extends Record<string, unknown>>(q: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: R[] }>;
}

export class MemoryMirror<T> {
  private value: Promise<T> | null = null;
  /** Times the copy was built, for tests and the benchmark. */
  loads = 0;

  constructor(
    /** The tables whose changes make the copy stale. */
    readonly tables: ReadonlySet<string>,
    private readonly build: () => Promise<T>,
    private fresh: () => boolean = () => false,
  ) {}

  /** Uses the copy only while `fresh()` says changes are being heard (the change feed is connected). */
  setFreshness(fresh: () => boolean): void {
    this.fresh = fresh;
    this.invalidate();
  }

  invalidate(): void {
    this.value = null;
  }

  /** The copy, or null when it cannot be trusted now (the caller then asks the database). */
  async get(): Promise<T | null> {
    if (!this.fresh()) return null;
    if (!this.value) {
      this.loads++;
      const p = onPrimary(this.build);
      this.value = p;
      p.catch(() => { if (this.value === p) this.value = null; });
    }
    return this.value;
  }
}

interface ChangeSource {
  readonly connected: boolean;
  on(event: 'change', fn: (c: { table: string }) => void): unknown;
  on(event: 'reset', fn: () => void): unknown;
  off(event: 'change', fn: (c: { table: string }) => void): unknown;
  off(event: 'reset', fn: () => void): unknown;
}

/** Trusts the mirrors while the change feed is heard and drops each on a change to its tables. Returns the unsubscribe. */
export function keepFresh(changes: ChangeSource, mirrors: MemoryMirror<unknown>[]): () => void {
  for (const m of mirrors) m.setFreshness(() => changes.connected);
  const onChange = (c: { table: string }) => { for (const m of mirrors) if (m.tables.has(c.table)) m.invalidate(); };
  const onReset = () => { for (const m of mirrors) m.invalidate(); };
  changes.on('change', onChange);
  changes.on('reset', onReset);
  return () => {
    changes.off('change', onChange);
    changes.off('reset', onReset);
  };
}
