// Refuses zip archives that would do harm when unpacked or read: too many entries, too much data once
// inflated (a zip bomb: a few KB that inflate to gigabytes), entry names that climb out of a folder. Reads
// only the archive's central directory (no inflating). Then names the Shapefiles GDAL is to open, member by
// member: opened as a whole, an archive is read as whatever GDAL finds inside (a VRT named .shp, a lone
// GeoJSON), so only .shp members with their .shx and .dbf are ever opened.
import { BadRequestError } from '../http/errors.ts';

/**
 * For a 100 MB upload: at most 1 GiB once inflated (Shapefiles compress 2–5×; text-heavy .dbf files more),
 * and no entry above 10 MiB that inflates more than 100× (deflate's limit is ~1000×: that is a bomb).
 */
export const ZIP_LIMITS = { entries: 1000, totalBytes: 1024 ** 3, ratio: 100, ratioFrom: 10 * 1024 ** 2 };

export interface ZipEntry {
  /** The name as UTF-8 (for messages and matching). */
  name: string;
  /** The name as GDAL spells it in /vsizip/ paths (gdal-env.ts sets CPL_ZIP_ENCODING=ISO-8859-1). */
  gdalName: string;
  compressed: number;
  size: number;
  /** Compression method (0 stored, 8 deflated) and where the member's local header is. */
  method: number;
  offset: number;
}

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
    const utf8 = (buf.readUInt16LE(p + 8) & 0x800) !== 0;
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    const raw = buf.subarray(p + 46, p + 46 + nameLen);
    entries.push({ name: raw.toString('utf8'), gdalName: raw.toString(utf8 ? 'utf8' : 'latin1'), compressed, size, method: buf.readUInt16LE(p + 10), offset: buf.readUInt32LE(p + 42) });
    p += 46 + nameLen + extra + comment;
  }
  return entries;
}

export function checkZip(buf: Buffer, limits = ZIP_LIMITS): ZipEntry[] {
  const entries = checkZipEntries(buf, limits);
  shapefileMembers(entries);
  return entries;
}

/** The archive's entries, refused when unpacking or reading them would do harm (any zip: an .xlsx too). */
export function checkZipEntries(buf: Buffer, limits = ZIP_LIMITS): ZipEntry[] {
  const entries = zipEntries(buf);
  if (entries.length > limits.entries) throw new BadRequestError(`the zip archive has ${entries.length} entries; at most ${limits.entries} are accepted`);
  for (const e of entries) {
    if (e.name.startsWith('/') || e.name.includes('\\') || e.name.split('/').includes('..') || /[\u0000-\u001f{}]/.test(e.gdalName)) {
      throw new BadRequestError(`the zip archive has an unsafe entry name ${JSON.stringify(e.name.slice(0, 80))}`);
    }
    // 0xFFFFFFFF marks ZIP64 sizes we do not read: refused rather than trusted.
    if (e.size === 0xffffffff || e.compressed === 0xffffffff) throw new BadRequestError('ZIP64 archives are not accepted; zip the files without ZIP64');
    if (e.size > limits.ratioFrom && e.size / Math.max(1, e.compressed) > limits.ratio) {
      throw new BadRequestError(`${JSON.stringify(e.name.slice(0, 80))} in the zip archive inflates ${Math.round(e.size / Math.max(1, e.compressed))}× (a zip bomb?); at most ${limits.ratio}× is accepted`);
    }
  }
  const total = entries.reduce((a, e) => a + e.size, 0);
  if (total > limits.totalBytes) throw new BadRequestError(`the zip archive inflates to ${(total / 1024 ** 2).toFixed(0)} MB; at most ${limits.totalBytes / 1024 ** 2} MB`);
  return entries;
}

/** Most Shapefiles one archive may hold (pipes, manholes, and a few more layers). */
const MAX_SHAPEFILES = 20;

/**
 * The .shp members of the archive, as GDAL names them: each with its .shx and .dbf beside it (.prj, .cpg
 * optional; other files are never opened). Refused when there is none, or one lacks a sidecar.
 */
export function shapefileMembers(entries: ZipEntry[]): string[] {
  const byName = new Map(entries.map((e) => [e.name.toLowerCase(), e]));
  const shps = entries.filter((e) => /\.shp$/i.test(e.name) && !e.name.endsWith('/'));
  if (!shps.length) {
    throw new BadRequestError(`the zip archive holds no .shp file${entries.length === 1 ? ` (only ${JSON.stringify(entries[0].name.slice(0, 80))})` : ''}; zip the Shapefile's .shp, .shx, .dbf and .prj`);
  }
  if (shps.length > MAX_SHAPEFILES) throw new BadRequestError(`the zip archive holds ${shps.length} Shapefiles; at most ${MAX_SHAPEFILES}`);
  for (const shp of shps) {
    const base = shp.name.slice(0, -4).toLowerCase();
    const missing = ['.shx', '.dbf'].filter((ext) => !byName.has(base + ext));
    if (missing.length) throw new BadRequestError(`${JSON.stringify(shp.name.slice(0, 80))} in the zip archive has no ${missing.join(' or ')} beside it; a Shapefile needs its .shp, .shx and .dbf`);
  }
  return shps.map((e) => e.gdalName);
}
