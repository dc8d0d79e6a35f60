// Debian tools the tests drive (GDAL's ogrinfo, Chromium): installed on first use on a fresh machine.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function ensureDebianTool(binary: string, pkg: string): void {
  if (existsSync(binary)) return;
  if (process.getuid?.() !== 0) throw new Error(`${binary} is missing: install the Debian package ${pkg}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const r = spawnSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'inherit', env });
  if (r.status !== 0 || !existsSync(binary)) throw new Error(`could not install ${pkg}`);
}
