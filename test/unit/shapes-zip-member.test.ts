// The start of a zip member read without GDAL (server/importers/shapes/zip-member.ts): a Shapefile's .dbf
// and .cpg for encoding detection, deflated or stored, a large member read only in part.
import { describe, expect, it } from 'vitest';
import { shapefileText, zipMemberHead } from '../../server/importers/shapes/zip-member.ts';
import { checkZip, checkZipEntries } from '../../server/importers/zip-check.ts';
import { zipArchive } from '../helpers/zip.ts';

describe('zip members', () => {
  it('the .dbf and .cpg beside a .shp, by name in any letter case', () => {
    const dbf = Buffer.concat([Buffer.from([0x03]), Buffer.alloc(40, 0x20)]);
    const zip = zipArchive({ 'a/管线.SHP': 'shp', 'a/管线.shx': 'shx', 'a/管线.dbf': dbf, 'a/管线.CPG': 'GBK\r\n' });
    const entries = checkZip(zip);
    const t = shapefileText(zip, entries, 'a/管线.SHP');
    expect(t.dbf.equals(dbf)).toBe(true);
    expect(t.cpg).toBe('GBK\r\n');
    const noCpg = zipArchive({ 'b.shp': 'shp', 'b.shx': 'shx', 'b.dbf': dbf });
    expect(shapefileText(noCpg, checkZip(noCpg), 'b.shp').cpg).toBeNull();
  });

  it('a large member is inflated only in part, from its first compressed bytes', () => {
    // DBF-like records: fixed text and a few random digits each, deflating some 5–10×.
    const records: string[] = [];
    for (let i = 0; records.length < 200_000; i++) records.push(`  中山路${String((i * 7919) % 100_000).padStart(5, '0')}   ${(i * 104_729) % 997} 泵站 ${i}`.padEnd(64, ' '));
    const big = Buffer.from(records.join(''));
    const zip = zipArchive({ 'big.dbf': big });
    const [entry] = checkZipEntries(zip);
    const head = zipMemberHead(zip, entry, 4 * 1024 * 1024);
    expect(head.length).toBeGreaterThan(512 * 1024);
    expect(head.length).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(head.length).toBeLessThan(big.length);
    expect(head.equals(big.subarray(0, head.length))).toBe(true);
  });

  it('a stored (method 0) member is read as it is', () => {
    const data = Buffer.from('UTF-8');
    const name = Buffer.from('x.cpg');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(name.length, 26);
    const entry = { name: 'x.cpg', gdalName: 'x.cpg', compressed: data.length, size: data.length, method: 0, offset: 0 };
    expect(zipMemberHead(Buffer.concat([local, name, data]), entry, 100).toString()).toBe('UTF-8');
  });

  it('a member that does not inflate, or an unknown method, is refused', () => {
    const zip = zipArchive({ 'x.dbf': Buffer.alloc(1000, 0x41) });
    const [entry] = checkZipEntries(zip);
    const broken = Buffer.from(zip);
    broken.fill(0xff, 30 + entry.name.length, 30 + entry.name.length + 4);
    expect(() => zipMemberHead(broken, entry, 100)).toThrow(/does not inflate/);
    expect(() => zipMemberHead(zip, { ...entry, method: 12 }, 100)).toThrow(/method 12; only deflate/);
    expect(() => zipMemberHead(zip, { ...entry, offset: 5 }, 100)).toThrow(/no local header/);
  });
});
