import { generateSigningKey, leafHash, parseCheckpoint, rootFromLeafHashes, signCheckpoint } from '@doorbraak/merkle';
import { checkWitnessPolicy, cosign, witnessVkey } from './index';

const parseCheckpointBody = (text: string) => parseCheckpoint(text).body;

const log = generateSigningKey('ledger.test');
const a = generateSigningKey('witness-a.test');
const b = generateSigningKey('witness-b.test');
const note = signCheckpoint({ origin: 'ledger.test/doorbraak', size: 1, root: rootFromLeafHashes([leafHash(Buffer.from('e'))]) }, log);

describe('witness policy', () => {
  it('given a note cosigned by one of two witnesses, then that one is cosigned and the other missing', () => {
    const cosignedNote = note + cosign(parseCheckpointBody(note), a.name, a.privateKey, 1700000000);
    expect(checkWitnessPolicy(cosignedNote, [witnessVkey(a.name, a.privateKey), witnessVkey(b.name, b.privateKey)])).toEqual({
      cosigned: ['witness-a.test'],
      missing: ['witness-b.test'],
    });
  });

  it('given a cosignature over another checkpoint body, then the witness counts as missing', () => {
    const other = signCheckpoint({ origin: 'ledger.test/doorbraak', size: 1, root: rootFromLeafHashes([leafHash(Buffer.from('x'))]) }, log);
    const forged = note + cosign(parseCheckpointBody(other), a.name, a.privateKey, 1700000000);
    expect(checkWitnessPolicy(forged, [witnessVkey(a.name, a.privateKey)])).toEqual({ cosigned: [], missing: ['witness-a.test'] });
  });
});
