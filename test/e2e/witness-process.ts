import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { generateSigningKey } from '@doorbraak/merkle';

const CLI = join(__dirname, '..', '..', 'dist/apps/cli/src/main.js');

export interface WitnessProcess {
  readonly process: ChildProcess;
  readonly url: string;
  readonly port: number;
  readonly vkey: string;
  /** Its state file: the last cosigned checkpoint per log and the fork evidence. */
  readonly state: string;
}

/**
 * `ledger witness` from dist, following one log (`origin=vkey`), with its key and state in `dir`; `port` brings a
 * stopped witness back at the same address.
 */
export async function startWitness(dir: string, name: string, follows: string, port = 0): Promise<WitnessProcess> {
  const keyFile = join(dir, `${name}.pem`);
  if (!existsSync(keyFile)) writeFileSync(keyFile, generateSigningKey(name).privateKeyPem);
  const state = join(dir, `${name}.json`);
  const child = spawn(process.execPath, [CLI, 'witness', '--name', name, '--key', keyFile, '--state', state, '--log', follows, '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
  const { url, witness } = JSON.parse(first.value as string) as { url: string; witness: string };
  return { process: child, url, port: Number(new URL(url).port), vkey: witness, state };
}

export const stopWitness = (w: WitnessProcess) =>
  new Promise<void>((resolve) => {
    if (w.process.exitCode !== null) return resolve();
    w.process.once('exit', () => resolve());
    w.process.kill('SIGTERM');
  });
