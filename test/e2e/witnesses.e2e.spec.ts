import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, consistencyProof, generateSigningKey, leafHash, rootFromLeafHashes, signCheckpoint } from '@doorbraak/merkle';
import { formatAddCheckpoint } from '@doorbraak/witness';
import { type WitnessProcess, startWitness, stopWitness } from './witness-process';

const ROOT = join(__dirname, '..', '..');
const VERIFIER = join(ROOT, 'infra/verifier/verify-audit-bundle.mjs');
const ORIGIN = 'ledger.test/doorbraak';
const log = generateSigningKey('ledger.test');
const dir = mkdtempSync(join(tmpdir(), 'witnesses-'));

const startWitnessFor = (name: string) => startWitness(dir, name, `${ORIGIN}=${log.vkey}`);

const lines = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => canonicalJson({ eventId: `${prefix}-${from + i}`, logIndex: from + i, streamId: `plan-${from + i}`, streamVersion: 1, type: 'PlanOpened.v1' }));
const noteOf = (entries: string[]) => signCheckpoint({ origin: ORIGIN, size: entries.length, root: rootFromLeafHashes(entries.map((l) => leafHash(l))) }, log);
const add = (w: WitnessProcess, oldSize: number, entries: string[]) =>
  fetch(`${w.url}/add-checkpoint`, { method: 'POST', body: formatAddCheckpoint({ oldSize, proof: oldSize === 0 || oldSize > entries.length ? [] : consistencyProof(oldSize, entries.map((l) => leafHash(l))), checkpoint: noteOf(entries) }) });

describe('two witnesses on loopback', () => {
  const honest = [...lines('e', 0, 4), ...lines('e', 4, 8)];
  const rewritten = [...honest.slice(0, 2), ...lines('forged', 2, 9)];
  let a: WitnessProcess;
  let b: WitnessProcess;
  beforeAll(async () => { [a, b] = await Promise.all([startWitnessFor('witness-a.test'), startWitnessFor('witness-b.test')]); });
  afterAll(async () => { await Promise.all([a, b].map(stopWitness)); });

  it('cosign the honest checkpoints, refuse the rewritten history and keep the fork; the verifier under 1 of 2 rejects it; a restarted witness still refuses a rollback', async () => {
    for (const w of [a, b]) {
      expect((await add(w, 0, honest.slice(0, 4))).status).toBe(200);
      const response = await add(w, 4, honest);
      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(/^\u2014 witness-[ab]\.test /u);
    }
    for (const w of [a, b]) {
      expect((await add(w, 8, rewritten)).status).toBe(422);
      expect(JSON.parse(readFileSync(w.state, 'utf8')).forks).toEqual([expect.objectContaining({ cosigned: noteOf(honest), presented: noteOf(rewritten) })]);
    }

    const bundle = mkdtempSync(join(tmpdir(), 'audit-bundle-'));
    writeFileSync(join(bundle, 'checkpoint.txt'), noteOf(rewritten));
    writeFileSync(join(bundle, 'public-key.txt'), `${log.vkey}\n`);
    writeFileSync(join(bundle, 'entries.jsonl'), rewritten.map((l) => `${l}\n`).join(''));
    const verdict = spawnSync(process.execPath, [VERIFIER, bundle, '--key', log.vkey, '--witness', a.vkey, '--witness', b.vkey, '--witness-threshold', '1'], { encoding: 'utf8' });
    expect(verdict.stdout).toMatch(/FAIL \(8\) witness cosignatures: .*missing: witness-a\.test, witness-b\.test/);
    expect(verdict.status).toBe(1);

    await stopWitness(a);
    a = await startWitnessFor('witness-a.test');
    const stale = await add(a, 4, honest.slice(0, 6));
    expect(stale.status).toBe(409);
    expect(await stale.text()).toBe('8\n');
    expect((await add(a, 8, honest.slice(0, 6))).status).toBe(400);
  });
});
