// A read whose client has gone (a map panned on, a tab closed) stops: every GET runs under an AbortSignal
// that aborts when its connection closes before the answer was sent, and the pool (db/pool.ts) cancels the
// statements of aborted work (db/cancel.ts). Writes are not abandoned: a report or an edit sent completes
// whether or not its sender stays to hear the answer.
import type { FastifyInstance } from 'fastify';
import { whileWanted } from '../db/cancel-scope.ts';

export function abandonReads(app: FastifyInstance): void {
  app.addHook('onRequest', (req, reply, done) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return done();
    const controller = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) controller.abort();
    });
    whileWanted(controller.signal, done);
  });
}
