import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyRoot, generateSigningKey, parseCheckpoint, signCheckpoint } from '@doorbraak/merkle';
import { cosign, witnessVkey } from '@doorbraak/witness';

const VERIFIER = join(__dirname, '../../infra/verifier/verify-audit-bundle.mjs');
const log = generateSigningKey('ledger.test');
const a = generateSigningKey('witness-a.test');
const b = generateSigningKey('witness-b.test');
const policy = ['--witness', witnessVkey(a.name, a.privateKey), '--witness', witnessVkey(b.name, b.privateKey), '--witness-threshold', '1'];

function bundle(checkpoint: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'audit-bundle-'));
  writeFileSync(join(dir, 'checkpoint.txt'), checkpoint);
  writeFileSync(join(dir, 'public-key.txt'), `${log.vkey}\n`);
  writeFileSync(join(dir, 'entries.jsonl'), '');
  return dir;
}

const run = (dir: string) => spawnSync(process.execPath, [VERIFIER, '--key', log.vkey, ...policy, dir], { encoding: 'utf8' });
const note = signCheckpoint({ origin: 'ledger.test/doorbraak', size: 0, root: emptyRoot() }, log);

describe('standalone verifier under a witness policy', () => {
  it('given a checkpoint cosigned by one of two witnesses, when the policy asks 1 of 2, then it verifies', () => {
    const cosigned = note + cosign(parseCheckpoint(note).body, a.name, a.privateKey, 1700000000);
    const result = run(bundle(cosigned));
    expect(result.stdout).toMatch(/ok {3}\(8\) witness cosignatures: 1 of 2 witnesses cosigned \(witness-a\.test\)/);
    expect(result.status).toBe(0);
  });

  it('given a checkpoint signed by the log key alone, when the policy asks 1 of 2, then it is rejected naming the missing witnesses', () => {
    const result = run(bundle(note));
    expect(result.stdout).toMatch(/FAIL \(8\) witness cosignatures: 0 of the required 1 witnesses .* missing: witness-a\.test, witness-b\.test/);
    expect(result.status).toBe(1);
  });
});
