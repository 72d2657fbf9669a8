import { Buffer } from 'node:buffer';
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { parseCheckpoint } from '@doorbraak/merkle';
import { COSIGNATURE_V1, cosignatureKeyHash } from './witness';

export interface WitnessKey {
  readonly name: string;
  readonly publicKey: KeyObject;
}

/** A witness verifier key: `<name>+<key hash>+<base64 of 0x04 and the Ed25519 key>` (C2SP tlog-cosignature/v1). */
export function witnessVkey(name: string, key: KeyObject): string {
  const { x } = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' });
  const raw = Buffer.concat([Buffer.from([COSIGNATURE_V1]), Buffer.from(x!, 'base64url')]);
  return `${name}+${cosignatureKeyHash(name, key).toString('hex')}+${raw.toString('base64')}`;
}

export function parseWitnessVkey(vkey: string): WitnessKey {
  const [name, hash, ...rest] = vkey.split('+');
  const raw = Buffer.from(rest.join('+'), 'base64');
  if (!name || raw.length !== 33 || raw[0] !== COSIGNATURE_V1) throw new Error(`witness key ${JSON.stringify(vkey)} is not a cosignature/v1 Ed25519 key`);
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.subarray(1).toString('base64url') }, format: 'jwk' });
  if (cosignatureKeyHash(name, publicKey).toString('hex') !== hash) throw new Error(`witness key ${name} has a key hash that does not match`);
  return { name, publicKey };
}

/** The names of the policy's witnesses with a valid cosignature on the note, and those without one. */
export function checkWitnessPolicy(note: string, witnesses: readonly string[]): { cosigned: string[]; missing: string[] } {
  const checkpoint = parseCheckpoint(note);
  const cosigned: string[] = [];
  const missing: string[] = [];
  for (const key of witnesses.map(parseWitnessVkey)) {
    const keyHash = cosignatureKeyHash(key.name, key.publicKey);
    const valid = checkpoint.signatures.some(({ name, keyHash: hash, signature }) => {
      if (name !== key.name || !hash.equals(keyHash) || signature.length !== 72) return false;
      const time = signature.readBigUInt64BE(0);
      return verify(null, Buffer.from(`cosignature/v1\ntime ${time}\n${checkpoint.body}`, 'utf8'), key.publicKey, signature.subarray(8));
    });
    (valid ? cosigned : missing).push(key.name);
  }
  return { cosigned, missing };
}
