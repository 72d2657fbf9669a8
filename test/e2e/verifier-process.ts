import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const VERIFIER = join(__dirname, '..', '..', 'infra', 'verifier', 'verify-audit-bundle.mjs');

/**
 * The auditor's standalone verifier in its own process (without blocking this one, so an API served from here can
 * answer it); resolves to its exit status and output.
 */
export async function runVerifier(...args: string[]): Promise<{ status: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [VERIFIER, ...args], { encoding: 'utf8' });
    return { status: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { status: failed.code, stdout: failed.stdout };
  }
}
