import { generateSigningKey, rootFromLeafHashes, leafHash, signCheckpoint } from '@doorbraak/merkle';
import { createHash, createPublicKey, sign } from 'node:crypto';
import { parseCheckpoint, verifyCheckpointSignature, verifyCosignature } from './proof';

const log = generateSigningKey('ledger.gm9001.test/doorbraak');
const witness = generateSigningKey('witness.gm0344.test');
const raw = Buffer.concat([Buffer.from([0x04]), Buffer.from(createPublicKey(witness.privateKey).export({ format: 'jwk' }).x!, 'base64url')]);
const keyHash = createHash('sha256').update('witness.gm0344.test\n').update(raw).digest().subarray(0, 4);
const witnessVkey = `witness.gm0344.test+${keyHash.toString('hex')}+${raw.toString('base64')}`;

/** A cosignature/v1 line as a C2SP witness makes it. */
function cosignatureLine(note: string, time: number): string {
  const body = note.slice(0, note.indexOf('\n\n') + 1);
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(BigInt(time));
  const signature = sign(null, Buffer.from(`cosignature/v1\ntime ${time}\n${body}`), witness.privateKey);
  return `\u2014 witness.gm0344.test ${Buffer.concat([keyHash, stamp, signature]).toString('base64')}\n`;
}

describe('checkpoint signatures in the browser', () => {
  const note = signCheckpoint({ origin: 'ledger.gm9001.test/doorbraak', size: 3, root: rootFromLeafHashes([0, 1, 2].map((i) => leafHash(Buffer.from(`leaf ${i}`)))) }, log);

  it('given a checkpoint cosigned by a witness, then the log signature and the cosignature verify', async () => {
    const checkpoint = parseCheckpoint(note + cosignatureLine(note, 1_774_958_400));
    expect(await verifyCheckpointSignature(checkpoint, log.vkey)).toEqual({ ok: true });
    expect(await verifyCosignature(checkpoint, witnessVkey)).toEqual({ ok: true });
  });

  it('given a cosignature over another checkpoint, or none, then it is refused with the reason', async () => {
    const other = signCheckpoint({ origin: 'ledger.gm9001.test/doorbraak', size: 4, root: Buffer.alloc(32, 1) }, log);
    const moved = parseCheckpoint(note + cosignatureLine(other, 1_774_958_400));
    expect(await verifyCosignature(moved, witnessVkey)).toEqual({ ok: false, reason: expect.stringContaining('does not verify') });
    expect(await verifyCosignature(parseCheckpoint(note), witnessVkey)).toEqual({ ok: false, reason: 'the checkpoint has no cosignature by witness.gm0344.test' });
    expect(await verifyCosignature(parseCheckpoint(note), log.vkey)).toEqual({ ok: false, reason: 'the verifier key is not an Ed25519 note key' });
  });
});
