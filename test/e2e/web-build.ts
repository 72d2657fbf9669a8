import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Builds the web pages as `npm run build` does, into a temporary directory the API under test serves. */
export function buildWebPages(): string {
  const outDir = mkdtempSync(join(tmpdir(), 'ledger-web-'));
  const build = spawnSync(process.execPath, [join(__dirname, '../../infra/build/build-web.mjs'), outDir], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`the web build failed: ${build.stderr}`);
  return outDir;
}
