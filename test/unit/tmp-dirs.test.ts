import { existsSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { privateTmpDir } from '../../server/tmp-dirs.ts';

it('a new private folder removes those of dead processes of its kind, and keeps those of live ones', async () => {
  const at = (name: string) => path.join(os.tmpdir(), name);
  const dead = at('onemap-export-2147483646-abc');
  const live = at(`onemap-export-${process.ppid}-abc`);
  for (const d of [dead, live]) mkdirSync(d, { recursive: true });
  const mine = await privateTmpDir('export');
  try {
    expect(path.basename(mine)).toMatch(new RegExp(`^onemap-export-${process.pid}-`));
    expect(existsSync(mine)).toBe(true);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  } finally {
    for (const d of [mine, live]) rmSync(d, { recursive: true, force: true });
  }
});
