// Photos of reports and results. Only JPEG, PNG or WebP by their bytes (nothing a browser would run),
// limited in size, and re-encoded here: decoding proves it is an image, and the new file keeps no
// metadata (a phone's EXIF holds where it was taken, when, and with which device). Stored in the database
// with a random id; a photo belongs to one case and is read as that case is (rules below); one no case
// took within a day is removed.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import sharp from 'sharp';
import { audit, type Actor as AuditActor } from '../auth/audit.ts';
import { inTransaction } from '../db/tx.ts';
import { BadRequestError } from '../http/errors.ts';
import { readOnStandby } from '../db/replica.ts';

export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
/** A phone camera makes ≤ 50 MP; more is a decompression bomb, not a photo. */
export const MAX_PHOTO_PIXELS = 60_000_000;
/** A photo no case took is removed after this long (a report is sent right after its photos). */
export const UNATTACHED_KEEP_HOURS = 24;
export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

export function photoType(buf: Buffer): PhotoType | null {
  if (buf.length > 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.length > 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (buf.length > 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/**
 * The image decoded and encoded again in its own format, upright (the EXIF orientation is applied, since
 * the tag goes), with no metadata: sharp writes none unless asked to. A file that does not decode is refused.
 */
export async function reencodePhoto(buf: Buffer, type: PhotoType): Promise<Buffer> {
  const img = sharp(buf, { limitInputPixels: MAX_PHOTO_PIXELS, failOn: 'error' }).rotate();
  try {
    if (type === 'image/jpeg') return await img.jpeg({ quality: 85, mozjpeg: true }).toBuffer();
    if (type === 'image/png') return await img.png().toBuffer();
    return await img.webp({ quality: 85 }).toBuffer();
  } catch (err) {
    throw new BadRequestError(`the photo could not be read as a ${type.slice(6).toUpperCase()} image (${(err as Error).message.slice(0, 120)})`);
  }
}

export interface Uploader {
  /** The account, or null for an anonymous (citizen) upload. */
  userId: number | null;
  /** Its name in the media row and the audit log. */
  name: string;
  audit: AuditActor;
  ip: string | null;
}

export async function savePhoto(db: pg.Pool, buf: unknown, by: Uploader): Promise<{ id: string; url: string; content_type: PhotoType; size: number }> {
  // A JSON or form body arrives parsed (null, an object, a string): only raw image bytes are a photo.
  if (!Buffer.isBuffer(buf) || !buf.length) throw new BadRequestError('the request body must be the photo itself, sent as image/jpeg, image/png or image/webp');
  if (buf.length > MAX_PHOTO_BYTES) throw new BadRequestError(`the photo is ${(buf.length / 1024 ** 2).toFixed(1)} MB; at most ${MAX_PHOTO_BYTES / 1024 ** 2} MB`);
  const type = photoType(buf);
  if (!type) throw new BadRequestError('the photo must be a JPEG, PNG or WebP image');
  const bytes = await reencodePhoto(buf, type);
  const id = randomUUID();
  await inTransaction(db, async (tx) => {
    await tx.query('INSERT INTO media (id, content_type, bytes, size, uploaded_by, uploader_user_id) VALUES ($1, $2, $3, $4, $5, $6)',
      [id, type, bytes, bytes.length, by.name, by.userId]);
    await audit(tx, by.audit, null, { action: 'media.upload', entity: 'media', entity_id: id, after: { content_type: type, size: bytes.length, received: buf.length, ip: by.ip } });
  });
  return { id, url: `/api/media/${id}`, content_type: type, size: bytes.length };
}

/** A photo with what decides who may read it: its case (if any), whether it was sent with that case's report. */
export interface StoredPhoto {
  content_type: string;
  bytes: Buffer;
  uploader_user_id: number | null;
  case: { grid_code: string | null; department_code: string | null; source: string; publish: boolean; with_report: boolean } | null;
}

export async function readPhoto(db: pg.Pool, id: string): Promise<StoredPhoto | null> {
  return readOnStandby(db, async () => {
    const { rows: [r] } = await db.query<Omit<StoredPhoto, 'case'> & { case_id: string | null; grid_code: string | null; department_code: string | null; source: string; publish: boolean; with_report: boolean }>(
      `SELECT m.content_type, m.bytes, m.uploader_user_id, m.case_id, c.grid_code, c.department_code, c.source, c.publish, m.id = ANY(c.photos) AS with_report
       FROM media m LEFT JOIN cases c ON c.id = m.case_id WHERE m.id = $1`, [id]);
    if (!r) return null;
    const { case_id, grid_code, department_code, source, publish, with_report, ...photo } = r;
    return { ...photo, case: case_id === null ? null : { grid_code: grid_code?.trim() ?? null, department_code, source, publish, with_report } };
  });
}

/**
 * Attaches uploaded photos to a case, in the caller's transaction: each must exist and be free (or on this
 * case already); a citizen's report takes only anonymous uploads, so no account's photo can be made public
 * through one. Locks the rows, so the sweep cannot remove a photo being attached.
 */
export async function attachPhotos(tx: pg.PoolClient, caseId: number | string, ids: string[], opts: { anonymousOnly?: boolean; unattachedOnly?: boolean } = {}): Promise<void> {
  const unique = [...new Set(ids)];
  if (!unique.length) return;
  const { rowCount } = await tx.query(
    `UPDATE media SET case_id = $1 WHERE id = ANY($2::uuid[]) AND (case_id IS NULL OR (case_id = $1 AND NOT $3::boolean)) ${opts.anonymousOnly ? 'AND uploader_user_id IS NULL' : ''}`,
    [caseId, unique, opts.unattachedOnly ?? false]);
  if (rowCount !== unique.length) {
    throw new BadRequestError(opts.anonymousOnly
      ? 'a photo id is unknown or not yours to send: upload the photo to /api/media first, without logging in, and send its URL once'
      : 'a photo id is unknown or belongs to another case: upload photos to /api/media first (a photo goes with one case)');
  }
}

/** Removes photos no case took that are older than `hours`; returns how many. */
export async function sweepUnattachedPhotos(db: pg.Pool | pg.ClientBase, hours = UNATTACHED_KEEP_HOURS): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM media WHERE case_id IS NULL AND created_at < now() - make_interval(hours => $1)`, [hours]);
  return rowCount ?? 0;
}
