import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import {
  CheckpointError,
  generateSigningKey,
  parseCheckpoint,
  parseVerifierKey,
  signCheckpoint,
  signNote,
  verifyCheckpoint,
  vkeyFor,
} from './checkpoint';
import { leafHash, rootFromLeafHashes } from './rfc6962';

const ORIGIN = 'ledger.example.nl/doorbraak';
const root = rootFromLeafHashes(['a', 'b', 'c'].map((leaf) => leafHash(leaf)));
const checkpoint = { origin: ORIGIN, size: 3, root };
const key = generateSigningKey('ledger.example.nl');
const signer = { name: key.name, privateKey: key.privateKey };

/** Replaces one line of a note (0-based), keeping everything else byte for byte. */
function withLine(note: string, index: number, replace: (line: string) => string): string {
  const lines = note.split('\n');
  lines[index] = replace(lines[index]!);
  return lines.join('\n');
}

describe('signed checkpoints (C2SP tlog-checkpoint, signed-note)', () => {
  const note = signCheckpoint(checkpoint, signer);

  it('writes the checkpoint body, a blank line and one signature line per key', () => {
    const lines = note.split('\n');
    expect(lines.slice(0, 4)).toEqual([ORIGIN, '3', root.toString('base64'), '']);
    expect(lines[4]).toMatch(/^\u2014 ledger\.example\.nl [A-Za-z0-9+/]+=*$/);
    expect(lines[5]).toBe('');
    expect(lines).toHaveLength(6);
  });

  it('round-trips through signing and verification', () => {
    const verified = verifyCheckpoint(note, key.vkey);
    expect(verified).toMatchObject({ origin: ORIGIN, size: 3 });
    expect(verified.root).toEqual(root);
  });

  it('derives the key hash and verifier key from the name and raw public key', () => {
    const raw = Buffer.from(createPublicKey(key.privateKey).export({ format: 'jwk' }).x!, 'base64url');
    const hash = createHash('sha256').update('ledger.example.nl\n').update(Buffer.from([1])).update(raw).digest().subarray(0, 4);
    expect(key.vkey).toBe(`ledger.example.nl+${hash.toString('hex')}+${Buffer.concat([Buffer.from([1]), raw]).toString('base64')}`);
    expect(vkeyFor(key.name, createPublicKey(key.privateKey))).toBe(key.vkey);
    expect(parseCheckpoint(note).signatures[0]!.keyHash).toEqual(hash);
    expect(createPrivateKey(key.privateKeyPem).asymmetricKeyType).toBe('ed25519');
  });

  it('reproduces the signed-note example of Go sumdb/note byte for byte', () => {
    const seed = Buffer.from('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz', 'base64').subarray(1);
    const pkcs8Ed25519Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
    const privateKey = createPrivateKey({ key: Buffer.concat([pkcs8Ed25519Prefix, seed]), format: 'der', type: 'pkcs8' });
    const text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    expect(vkeyFor('PeterNeumann', privateKey)).toBe('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
    expect(signNote(text, { name: 'PeterNeumann', privateKey })).toBe(
      `${text}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
    );
  });

  it.each([
    ['an altered origin', (n: string) => withLine(n, 0, () => 'ledger.other.nl/doorbraak')],
    ['an altered size', (n: string) => withLine(n, 1, () => '4')],
    ['an altered root', (n: string) => withLine(n, 2, () => rootFromLeafHashes([leafHash('x')]).toString('base64'))],
    [
      'an altered signature',
      (n: string) =>
        withLine(n, 4, (line) => {
          const [dash, name, sig] = line.split(' ');
          const bytes = Buffer.from(sig!, 'base64');
          bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
          return `${dash} ${name} ${bytes.toString('base64')}`;
        }),
    ],
  ])('rejects %s', (_what, tamper) => {
    expect(() => verifyCheckpoint(tamper(note), key.vkey)).toThrow(/does not verify/);
  });

  it('rejects a note signed only by another key, even one with the same name', () => {
    const stranger = generateSigningKey('ledger.example.nl');
    expect(() => verifyCheckpoint(signCheckpoint(checkpoint, { name: stranger.name, privateKey: stranger.privateKey }), key.vkey)).toThrow(
      /no signature by key ledger\.example\.nl\+/,
    );
    const other = generateSigningKey('witness.example.org');
    expect(() => verifyCheckpoint(note, other.vkey)).toThrow(CheckpointError);
  });

  it('ignores signatures by keys it does not know, before or after its own', () => {
    const witness = generateSigningKey('witness.example.org');
    const witnessSigner = { name: witness.name, privateKey: witness.privateKey };
    const cosigned = signCheckpoint(checkpoint, [signer, witnessSigner]);
    expect(parseCheckpoint(cosigned).signatures.map((s) => s.name)).toEqual(['ledger.example.nl', 'witness.example.org']);
    expect(verifyCheckpoint(cosigned, key.vkey).size).toBe(3);
    expect(verifyCheckpoint(signCheckpoint(checkpoint, [witnessSigner, signer]), key.vkey).size).toBe(3);
    expect(verifyCheckpoint(cosigned, witness.vkey).size).toBe(3);
  });

  it.each([
    ['a missing trailing newline', (n: string) => n.slice(0, -1), /newline/],
    ['no signature block', (n: string) => n.slice(0, n.indexOf('\n\n') + 1), /blank line/],
    ['no signature lines', (n: string) => n.slice(0, n.indexOf('\n\n') + 2), /no signature lines/],
    ['an extension line in the body', (n: string) => withLine(n, 2, (line) => `${line}\nextra`), /4 lines/],
    ['a missing body line', (n: string) => withLine(n, 0, () => '').slice(1), /2 lines/],
    ['an empty origin', (n: string) => withLine(n, 0, () => ''), /origin line is empty/],
    ['a control character in the origin', (n: string) => withLine(n, 0, (line) => `${line}\t`), /control character/],
    ['a blank line among the signatures', (n: string) => `${n}\n`, /signature line 2/],
    ['a size with a leading zero', (n: string) => withLine(n, 1, () => '03'), /leading zeros/],
    ['a negative size', (n: string) => withLine(n, 1, () => '-3'), /not a decimal/],
    ['a size with a sign', (n: string) => withLine(n, 1, () => '+3'), /not a decimal/],
    ['a hexadecimal size', (n: string) => withLine(n, 1, () => '0x3'), /not a decimal/],
    ['a root that is not base64', (n: string) => withLine(n, 2, (line) => `${line.slice(0, -2)}!=`), /root hash is not valid base64/],
    ['a root of the wrong length', (n: string) => withLine(n, 2, () => Buffer.alloc(31).toString('base64')), /31 bytes/],
    ['a signature without the em dash', (n: string) => withLine(n, 4, (line) => line.replace('\u2014', '-')), /signature line 1/],
    ['a signature that is not base64', (n: string) => withLine(n, 4, (line) => `${line}*`), /signature line 1/],
  ])('refuses a note with %s', (_what, mangle, message) => {
    expect(() => parseCheckpoint(mangle(note))).toThrow(message);
  });

  it('reads verifier keys whose base64 contains a plus sign', () => {
    expect(parseVerifierKey('TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6').name).toBe('TEST');
  });

  it('refuses malformed verifier keys', () => {
    const [name, hash] = key.vkey.split('+', 2);
    const rest = key.vkey.slice(`${name}+${hash}+`.length);
    expect(parseVerifierKey(key.vkey).name).toBe(name);
    expect(() => parseVerifierKey(`${name}+00000000+${rest}`)).toThrow(/does not match/);
    expect(() => parseVerifierKey(`${name}+${hash}`)).toThrow(CheckpointError);
    expect(() => parseVerifierKey(`other+${hash}+${rest}`)).toThrow(/does not match/);
    expect(() => parseVerifierKey(`${name}+${hash}+${Buffer.alloc(33, 2).toString('base64')}`)).toThrow(/not an Ed25519 key/);
  });

  it('refuses to sign what it could not parse back', () => {
    expect(() => signCheckpoint({ ...checkpoint, origin: 'two\nlines' }, signer)).toThrow(CheckpointError);
    expect(() => signCheckpoint({ ...checkpoint, size: -1 }, signer)).toThrow(CheckpointError);
    expect(() => signCheckpoint({ ...checkpoint, root: root.subarray(1) }, signer)).toThrow(CheckpointError);
    expect(() => signCheckpoint(checkpoint, { name: 'has space', privateKey: key.privateKey })).toThrow(CheckpointError);
  });
});
