// Photos of reports and results. Checked by their bytes (JPEG, PNG or WebP only: nothing a browser would
// run), limited in size, stored in the database with a random id.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { BadRequestError } from '../features/errors.ts';

export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

export function photoType(buf: Buffer): PhotoType | null {
  if (buf.length > 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.length > 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (buf.length > 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

export async function savePhoto(db: pg.Pool, buf: unknown, uploadedBy: string): Promise<{ id: string; url: string; content_type: PhotoType; size: number }> {
  // A JSON or form body arrives parsed (null, an object, a string): only raw image bytes are a photo.
  if (!Buffer.isBuffer(buf) || !buf.length) throw new BadRequestError('the request body must be the photo itself, sent as image/jpeg, image/png or image/webp');
  if (buf.length > MAX_PHOTO_BYTES) throw new BadRequestError(`the photo is ${(buf.length / 1024 ** 2).toFixed(1)} MB; at most ${MAX_PHOTO_BYTES / 1024 ** 2} MB`);
  const type = photoType(buf);
  if (!type) throw new BadRequestError('the photo must be a JPEG, PNG or WebP image');
  const id = randomUUID();
  await db.query('INSERT INTO media (id, content_type, bytes, size, uploaded_by) VALUES ($1, $2, $3, $4, $5)', [id, type, buf, buf.length, uploadedBy]);
  return { id, url: `/api/media/${id}`, content_type: type, size: buf.length };
}

export async function readPhoto(db: pg.Pool, id: string): Promise<{ content_type: string; bytes: Buffer } | null> {
  const { rows } = await db.query<{ content_type: string; bytes: Buffer }>('SELECT content_type, bytes FROM media WHERE id = $1', [id]);
  return rows[0] ?? null;
}

/** Checks that photo ids given with a report or a step exist (they were uploaded first). */
export async function checkPhotos(db: { query: pg.Pool['query'] } | pg.PoolClient, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const { rows } = await (db as pg.Pool).query<{ n: string }>('SELECT count(*) AS n FROM media WHERE id = ANY($1::uuid[])', [ids]);
  if (Number(rows[0].n) !== new Set(ids).size) throw new BadRequestError('a photo id is unknown: upload photos to /api/media first');
}
