// The cost limits of the public routes whose cost the client chooses: filtered or long items pages,
// within, search, traces, exports, drainage reports, and live streams. Registered on each such route as a
// preHandler. For an anonymous client (no valid session) it
//   - keeps at most ANONYMOUS.inFlightPerClient such requests in flight per address (429, Retry-After);
//   - lets all anonymous clients together run an eighth of the pool's size at once (2 of 16; an items page
//     uses two connections), the others waiting their turn (503, Retry-After, when it does not come in
//     ANONYMOUS.queueWaitMs): the rest of the pool, and of the cores, stays free for cheap requests (tiles,
//     bbox pages, nearest, details) and for accounts;
//   - runs the request's database work with the pool's anonymous statement timeout (server/db/pool.ts).
// Accounts pass untouched. The address is req.ip: X-Forwarded-For only when the app trusts a proxy.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { currentUser } from '../auth/request-user.ts';
import { asAnonymous } from '../db/anonymous-scope.ts';
import { ANONYMOUS } from './anonymous.ts';
import { ClientSlots } from './client-slots.ts';
import { Semaphore } from './semaphore.ts';

/** A route's preHandler, in callback style (typed loosely so that it fits routes of any generics). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type PreHandler = (req: FastifyRequest<any>, reply: FastifyReply, done: (err?: Error) => void) => void;

interface PoolLimits { perClient: ClientSlots; all: Semaphore; streams: ClientSlots }
const limitsByPool = new WeakMap<pg.Pool, PoolLimits>();

function limitsOf(pool: pg.Pool): PoolLimits {
  let l = limitsByPool.get(pool);
  if (!l) {
    const all = Math.max(ANONYMOUS.inFlightPerClient, Math.floor((pool.options.max ?? 10) * ANONYMOUS.inFlightShareOfPool));
    l = { perClient: new ClientSlots(ANONYMOUS.inFlightPerClient), all: new Semaphore(all), streams: new ClientSlots(ANONYMOUS.streamsPerClient) };
    limitsByPool.set(pool, l);
  }
  return l;
}

/** No valid session: a request without a token is anonymous without asking the database. */
export async function isAnonymous(req: FastifyRequest, pool: pg.Pool): Promise<boolean> {
  return !(await currentUser(req, pool));
}

/** How long a 429 is held before it is sent. */
export const REFUSAL_DELAY_MS = 1000;

function refuse(reply: FastifyReply, status: 429 | 503, retryAfterS: number, message: string): void {
  reply.code(status).header('retry-after', String(retryAfterS))
    .send({ error: status === 429 ? 'too many requests' : 'unavailable', message });
}

/**
 * A 429 answered at once invites a client that does not wait for Retry-After to ask again at once: tens of
 * such clients kept the event loop busy with thousands of refusals a second (the normal client's p95 went
 * 6×). Held for a second — the wait Retry-After asks for anyway, costing a timer and nothing else — the
 * refusals come no faster than the client's connections allow.
 */
function refuseLater(reply: FastifyReply, retryAfterS: number, message: string): void {
  setTimeout(() => { if (!reply.raw.destroyed) refuse(reply, 429, retryAfterS, message); }, REFUSAL_DELAY_MS);
}

/**
 * A preHandler for an expensive route (`when`: for the requests of the route that are; default all).
 * Callback style: the handler then runs inside asAnonymous, so every statement it makes is timed as one.
 */
export function expensive(pool: pg.Pool | undefined, when: (req: FastifyRequest) => boolean = () => true): PreHandler {
  // Route plugins given a Catalog instead of a pool (tests of the routes alone) have nothing to limit.
  if (!pool) return (_req, _reply, done) => done();
  const { perClient, all } = limitsOf(pool);
  return (req, reply, done) => {
    if (!when(req)) return done();
    isAnonymous(req, pool).then((anonymous) => {
      if (!anonymous) return done();
      const client = req.ip;
      if (!perClient.take(client)) {
        return refuseLater(reply, 1, `at most ${perClient.perClient} expensive requests (filtered or long pages, within, search, traces, exports, reports) at a time from one address without logging in; wait for one to finish, or log in`);
      }
      const turn = all.acquire(ANONYMOUS.queueWaitMs);
      let held = false;
      let closed = false;
      reply.raw.once('close', () => {
        closed = true;
        perClient.give(client);
        if (held) all.release();
        else turn.cancel();
      });
      turn.granted.then((granted) => {
        if (closed) {
          if (granted) all.release();
          return;
        }
        if (!granted) {
          return refuse(reply, 503, 2, `the server is answering as many expensive requests from clients that are not logged in as it allows (${all.max} at once) and this one waited ${ANONYMOUS.queueWaitMs / 1000} s for its turn; retry shortly, or log in`);
        }
        held = true;
        asAnonymous(() => done());
      }, done);
    }, done);
  };
}

/** A preHandler for a live stream: at most ANONYMOUS.streamsPerClient open per anonymous address (429). */
export function liveStream(pool: pg.Pool): PreHandler {
  const { streams } = limitsOf(pool);
  return (req, reply, done) => {
    isAnonymous(req, pool).then((anonymous) => {
      if (!anonymous) return done();
      const client = req.ip;
      if (!streams.take(client)) {
        return refuseLater(reply, 10, `at most ${streams.perClient} live streams open at once from one address without logging in; close one (a page needs one), or log in`);
      }
      reply.raw.once('close', () => streams.give(client));
      asAnonymous(() => done());
    }, done);
  };
}
