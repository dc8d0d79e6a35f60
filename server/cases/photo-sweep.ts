// Photos no case took (an upload whose report was never sent) are removed a day after upload: they may
// show people and places, and nobody but their uploader can read them. Swept once when the server starts
// (so `npm start` clears what a stopped server left) and hourly.
import type pg from 'pg';
import { Housekeeping } from '../db/housekeeping.ts';
import { sweepUnattachedPhotos } from './media.ts';

export const SWEEP_INTERVAL_MS = 3600_000;

/** `run()` sweeps now and says how many photos went. */
export const photoSweeper = (pool: pg.Pool, onError?: (err: unknown) => void) =>
  new Housekeeping(() => sweepUnattachedPhotos(pool), 0, onError);
