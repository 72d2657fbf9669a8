import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consistencyProof, generateSigningKey, leafHash, rootFromLeafHashes, signCheckpoint } from '@doorbraak/merkle';
import { FileWitnessStore, Witness } from './index';

const ORIGIN = 'ledger.test/doorbraak';
const log = generateSigningKey('ledger.test');
const witnessKey = generateSigningKey('witness.test');

function leaves(prefix: string, n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`${prefix}${i}`)));
}
function checkpointOf(hashes: Buffer[]): string {
  return signCheckpoint({ origin: ORIGIN, size: hashes.length, root: rootFromLeafHashes(hashes) }, log);
}
function witnessAt(path: string): Witness {
  return new Witness('witness.test', witnessKey.privateKey, new Map([[ORIGIN, log.vkey]]), new FileWitnessStore(path), () => 1700000000);
}

describe('Witness', () => {
  it('given a cosigned checkpoint, when an extension with a valid proof arrives, then it cosigns', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'witness-')), 'state.json');
    const witness = witnessAt(path);
    const history = leaves('e', 7);
    expect(witness.addCheckpoint({ oldSize: 0, proof: [], checkpoint: checkpointOf(history.slice(0, 3)) }).status).toBe(200);
    const result = witness.addCheckpoint({ oldSize: 3, proof: consistencyProof(3, history), checkpoint: checkpointOf(history) });
    expect(result).toMatchObject({ status: 200, cosignature: expect.stringMatching(/^\u2014 witness\.test [A-Za-z0-9+/=]+\n$/u) });
  });

  it('given a rewritten history signed with the real key, when presented, then it refuses with 422 and keeps the fork evidence across a restart', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'witness-')), 'state.json');
    const honest = leaves('e', 5);
    const honestNote = checkpointOf(honest);
    expect(witnessAt(path).addCheckpoint({ oldSize: 0, proof: [], checkpoint: honestNote }).status).toBe(200);

    const forged = [...honest.slice(0, 2), ...leaves('x', 4)];
    const forgedNote = checkpointOf(forged);
    const restarted = witnessAt(path);
    expect(restarted.addCheckpoint({ oldSize: 5, proof: consistencyProof(5, forged), checkpoint: forgedNote }).status).toBe(422);
    expect(new FileWitnessStore(path).forks()).toEqual([expect.objectContaining({ origin: ORIGIN, cosigned: honestNote, presented: forgedNote })]);
  });

  it('given a cosigned size, when a stale old size or a rollback arrives after a restart, then it answers 409 with its size or 400', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'witness-')), 'state.json');
    const history = leaves('e', 6);
    expect(witnessAt(path).addCheckpoint({ oldSize: 0, proof: [], checkpoint: checkpointOf(history) }).status).toBe(200);
    const restarted = witnessAt(path);
    expect(restarted.addCheckpoint({ oldSize: 0, proof: [], checkpoint: checkpointOf(history.slice(0, 4)) })).toMatchObject({ status: 409, size: 6 });
    expect(restarted.addCheckpoint({ oldSize: 6, proof: [], checkpoint: checkpointOf(history.slice(0, 4)) }).status).toBe(400);
  });

  it('given a checkpoint of an unknown log or signed by another key, then it answers 404 or 403', () => {
    const witness = witnessAt(join(mkdtempSync(join(tmpdir(), 'witness-')), 'state.json'));
    const other = generateSigningKey('ledger.test');
    const hashes = leaves('e', 2);
    const foreign = signCheckpoint({ origin: 'elsewhere.test/log', size: 2, root: rootFromLeafHashes(hashes) }, log);
    const badKey = signCheckpoint({ origin: ORIGIN, size: 2, root: rootFromLeafHashes(hashes) }, other);
    expect(witness.addCheckpoint({ oldSize: 0, proof: [], checkpoint: foreign }).status).toBe(404);
    expect(witness.addCheckpoint({ oldSize: 0, proof: [], checkpoint: badKey }).status).toBe(403);
  });
});
