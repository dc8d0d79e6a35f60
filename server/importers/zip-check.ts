// Refuses zip archives that would do harm when unpacked or read: too many entries, too much data once
// inflated (a zip bomb: a few KB that inflate to gigabytes), entry names that climb out of a folder.
// Reads only the archive's central directory (no inflating).
import { BadRequestError } from '../features/errors.ts';

export const ZIP_LIMITS = { entries: 2000, totalBytes: 2 * 1024 ** 3, ratio: 200 };

export interface ZipEntry { name: string; compressed: number; size: number }

export function zipEntries(buf: Buffer): ZipEntry[] {
  // End of central directory: signature 0x06054b50 within the last 64 KB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new BadRequestError('the zip archive is damaged (no central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let k = 0; k < count; k++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new BadRequestError('the zip archive is damaged (bad central directory entry)');
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    entries.push({ name: buf.subarray(p + 46, p + 46 + nameLen).toString('utf8'), compressed, size });
    p += 46 + nameLen + extra + comment;
  }
  return entries;
}

export function checkZip(buf: Buffer, limits = ZIP_LIMITS): ZipEntry[] {
  const entries = zipEntries(buf);
  if (entries.length > limits.entries) throw new BadRequestError(`the zip archive has ${entries.length} entries; at most ${limits.entries} are accepted`);
  for (const e of entries) {
    if (e.name.startsWith('/') || e.name.includes('\\') || e.name.split('/').includes('..')) {
      throw new BadRequestError(`the zip archive has an unsafe entry name ${JSON.stringify(e.name.slice(0, 80))}`);
    }
    // 0xFFFFFFFF marks ZIP64 sizes we do not read: refused rather than trusted.
    if (e.size === 0xffffffff || e.compressed === 0xffffffff) throw new BadRequestError('ZIP64 archives are not accepted; zip the files without ZIP64');
  }
  const total = entries.reduce((a, e) => a + e.size, 0);
  const packed = entries.reduce((a, e) => a + e.compressed, 0);
  if (total > limits.totalBytes) throw new BadRequestError(`the zip archive inflates to ${(total / 1024 ** 2).toFixed(0)} MB; at most ${limits.totalBytes / 1024 ** 2} MB`);
  if (total > 10 * 1024 ** 2 && total / Math.max(1, packed) > limits.ratio) {
    throw new BadRequestError(`the zip archive inflates ${Math.round(total / Math.max(1, packed))}× (a zip bomb?); refused`);
  }
  if (!entries.some((e) => /\.shp$/i.test(e.name))) throw new BadRequestError('the zip archive holds no .shp file');
  return entries;
}
