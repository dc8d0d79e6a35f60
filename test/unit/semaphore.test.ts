// The queue of anonymous expensive work (server/limits/semaphore.ts): turns in order, a bounded wait, and
// no slot lost to a waiter that gave up or a holder that went away.
import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../server/limits/semaphore.ts';

describe('Semaphore', () => {
  it('grants up to max at once; the next waits and gets the slot handed on, in order', async () => {
    const s = new Semaphore(2);
    expect(await s.acquire(1000).granted).toBe(true);
    expect(await s.acquire(1000).granted).toBe(true);
    const order: number[] = [];
    const third = s.acquire(1000).granted.then((ok) => { order.push(3); return ok; });
    const fourth = s.acquire(1000).granted.then((ok) => { order.push(4); return ok; });
    s.release();
    s.release();
    expect(await Promise.all([third, fourth])).toEqual([true, true]);
    expect(order).toEqual([3, 4]);
  });

  it('a waiter gives up after its wait or when cancelled, and leaves no slot taken', async () => {
    const s = new Semaphore(1);
    expect(await s.acquire(1000).granted).toBe(true);
    expect(await s.acquire(10).granted).toBe(false);
    const cancelled = s.acquire(1000);
    cancelled.cancel();
    expect(await cancelled.granted).toBe(false);
    s.release();
    // The slot is free again: taken at once.
    expect(await s.acquire(0).granted).toBe(true);
  });
});
