// The start of a zip member, inflated here: enough of a Shapefile's .dbf (and its .cpg) to tell its text
// encoding before GDAL reads it. Only the first compressed bytes are inflated, so a member that inflates
// far (checkZipEntries has bounded how far) costs no more than its first megabytes.
import { constants, inflateRawSync } from 'node:zlib';
import { BadRequestError } from '../../http/errors.ts';
import type { ZipEntry } from '../zip-check.ts';

/** Compressed bytes inflated at most: 256 KiB, which the archive checks bound to ≤ 25.6 MB of output. */
const MAX_COMPRESSED = 256 * 1024;

/** Up to `maxBytes` of a member's content (entries from checkZipEntries). */
export function zipMemberHead(buf: Buffer, entry: ZipEntry, maxBytes: number): Buffer {
  const at = entry.offset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== 0x04034b50) throw new BadRequestError(`the zip archive is damaged (no local header for ${JSON.stringify(entry.name.slice(0, 80))})`);
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const data = buf.subarray(start, Math.min(buf.length, start + entry.compressed));
  if (entry.method === 0) return data.subarray(0, maxBytes);
  if (entry.method !== 8) throw new BadRequestError(`${JSON.stringify(entry.name.slice(0, 80))} in the zip archive is compressed with method ${entry.method}; only deflate is read`);
  try {
    // A sync flush at the end gives what the bytes so far inflate to, without asking for the rest.
    const out = inflateRawSync(data.subarray(0, MAX_COMPRESSED), { finishFlush: constants.Z_SYNC_FLUSH });
    return out.subarray(0, maxBytes);
  } catch {
    throw new BadRequestError(`${JSON.stringify(entry.name.slice(0, 80))} in the zip archive is damaged (it does not inflate)`);
  }
}

export interface ShapefileText {
  /** The start of the .dbf: its header and first records. */
  dbf: Buffer;
  /** The .cpg's text, or null when there is none. */
  cpg: string | null;
}

/** The .dbf start and .cpg beside a .shp member of the archive (by the member's name, as zipEntries gives it). */
export function shapefileText(buf: Buffer, entries: readonly ZipEntry[], shpName: string, maxBytes = 4 * 1024 * 1024): ShapefileText {
  const base = shpName.replace(/\.shp$/i, '').toLowerCase();
  const find = (ext: string) => entries.find((e) => e.name.toLowerCase() === base + ext);
  const dbf = find('.dbf');
  if (!dbf) throw new BadRequestError(`${JSON.stringify(shpName.slice(0, 80))} in the zip archive has no .dbf beside it`);
  const cpg = find('.cpg');
  return { dbf: zipMemberHead(buf, dbf, maxBytes), cpg: cpg ? zipMemberHead(buf, cpg, 256).toString('latin1') : null };
}
