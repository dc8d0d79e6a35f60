// A camera's stream address (rtsp://user:password@10.x.x.x/…, a GB/T 28181 platform URL) says where the
// district's video network is and often how to log in to it: staff see it, the public map does not.
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { currentUser } from '../auth/request-user.ts';

/** Whether the request may see stream addresses: a logged-in account (pool absent: a test catalog, no one is). */
export async function maySeeStreams(req: FastifyRequest, pool: pg.Pool | undefined): Promise<boolean> {
  return pool ? (await currentUser(req, pool)) !== null : false;
}

/** The object without its stream_url (the same object when it has none). */
export function withoutStream<T extends object>(o: T): T {
  if (!('stream_url' in o)) return o;
  const { stream_url: _, ...rest } = o as T & { stream_url: unknown };
  return rest as T;
}
