// Private temporary folders for files GDAL must read or write (uploads, GeoPackage exports). Each carries
// the pid of its process: one killed while GDAL works cannot remove its folder, so the next one of the same
// kind removes the folders of processes that are gone (an upload copy can be 100 MB).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { processAlive } from './process-alive.ts';

export async function privateTmpDir(kind: 'import' | 'export'): Promise<string> {
  const prefix = `onemap-${kind}-`;
  for (const name of await readdir(os.tmpdir()).catch(() => [] as string[])) {
    const pid = name.startsWith(prefix) ? Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]) : 0;
    if (pid && pid !== process.pid && !processAlive(pid)) await rm(path.join(os.tmpdir(), name), { recursive: true, force: true }).catch(() => {});
  }
  return mkdtemp(path.join(os.tmpdir(), `${prefix}${process.pid}-`));
}
