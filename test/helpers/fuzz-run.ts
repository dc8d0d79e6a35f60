// Running the fuzzer against one app: each request sent anonymously and as an admin from a fresh client
// address, fast-check's property per operation (failures shrunk within a budget), and the counts that
// end up in the summary.
import fc from 'fast-check';
import { describeExchange, problemWith, send, type FuzzRequest } from './fuzz-http.ts';

/** Requests a failing operation may spend on shrinking its counterexample. */
const SHRINK_BUDGET = 120;

interface Counts { requests: number; statuses: Record<string, number>; ms?: number }

export class Fuzzer {
  readonly totals: Counts = { requests: 0, statuses: {} };
  readonly byOperation: Record<string, Counts> = {};
  readonly failures: string[] = [];
  /** Import jobs the server accepted, to be checked once they end. */
  readonly importJobs: string[] = [];
  private nextIp = 0;

  constructor(private readonly baseUrl: string, private readonly admin: { authorization: string; id: number }, private readonly seed: number) {}

  /** A fresh client address per request, so the per-address rate limits do not answer everything with 429. */
  freshIp(): string {
    const n = ++this.nextIp;
    return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  }

  /** A stable seed per operation, so adding an operation does not change what the others generate. */
  seedOf(name: string): number {
    let h = this.seed;
    for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    return h | 0;
  }

  /** Sends `req` anonymously and as the admin; throws the first bad exchange, described. */
  async exchange(req: FuzzRequest): Promise<void> {
    const { authorization: _a, cookie: _c, ...plain } = req.headers;
    const variants = [req.headers, { ...plain, authorization: this.admin.authorization }];
    // Logging out as the admin, or changing its own account, would end the session the rest of the run relies on.
    if (req.op === 'POST /api/auth/logout' || (req.op === 'PATCH /api/users/{id}' && this.targetsAdmin(req.url))) variants.pop();
    for (const headers of variants) {
      const sent: FuzzRequest = { ...req, headers: { 'x-forwarded-for': this.freshIp(), ...headers } };
      const res = await send(this.baseUrl, sent);
      this.count(req.op, res.status ? String(res.status) : 'no answer');
      if (req.op === 'POST /api/imports' && res.status === 202) this.importJobs.push(JSON.parse(res.text).job);
      const problem = problemWith(sent, res);
      if (problem) throw new Error(describeExchange(sent, res, problem));
    }
  }

  /** Checks the property for one operation; returns its failure (the smallest found), if any. */
  async fuzz(name: string, arb: fc.Arbitrary<FuzzRequest>, numRuns: number): Promise<string | null> {
    const t0 = Date.now();
    let failedOnce = false;
    let shrinkRuns = 0;
    const details = await fc.check(fc.asyncProperty(arb, async (req) => {
      // Once the budget is spent every candidate "passes", which ends the shrinking at the smallest failure so far.
      if (failedOnce && ++shrinkRuns > SHRINK_BUDGET) return true;
      try {
        await this.exchange(req);
      } catch (err) {
        failedOnce = true;
        throw err;
      }
      return true;
    }), { seed: this.seedOf(name), numRuns });
    (this.byOperation[name] ??= { requests: 0, statuses: {} }).ms = Date.now() - t0;
    if (!details.failed) return null;
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    const failure = `${name} (seed ${details.seed}, path "${details.counterexamplePath}", ${details.numShrinks} shrinks):\n${error}`;
    this.failures.push(failure);
    return failure;
  }

  private count(op: string, status: string): void {
    for (const c of [this.totals, (this.byOperation[op] ??= { requests: 0, statuses: {} })]) {
      c.requests++;
      c.statuses[status] = (c.statuses[status] ?? 0) + 1;
    }
  }

  private targetsAdmin(url: string): boolean {
    try {
      return Number(decodeURIComponent(url.split('?')[0].split('/').pop() ?? '')) === this.admin.id;
    } catch {
      return false;
    }
  }
}

/** Runs `run` over `items`, `n` at a time. */
export async function inParallel<T>(items: T[], n: number, run: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: n }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await run(item);
  }));
}
