import { Buffer } from 'node:buffer';
import { createHash, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { HASH_SIZE } from './rfc6962';

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
}

export interface NoteSignature {
  readonly name: string;
  readonly keyHash: Buffer;
  readonly signature: Buffer;
}

export interface ParsedCheckpoint extends Checkpoint {
  readonly root: Buffer;
  readonly body: string;
  readonly signatures: readonly NoteSignature[];
}

export interface NoteSigner {
  readonly name: string;
  readonly privateKey: KeyObject;
}

export interface VerifierKey {
  readonly name: string;
  readonly keyHash: Buffer;
  readonly publicKey: KeyObject;
}

export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

const ED25519 = 0x01;
const ED25519_SIGNATURE_SIZE = 64;
const SIGNATURE_LINE = /^\u2014 ([^\s+]+) ([A-Za-z0-9+/=]+)$/u;
const KEY_NAME = /^[^\s+]+$/u;
const DECIMAL = /^(0|[1-9][0-9]*)$/;

export function checkpointBody(checkpoint: Checkpoint): string {
  const { origin, size, root } = checkpoint;
  if (origin === '' || hasControlCharacter(origin)) throw new CheckpointError('origin must be a non-empty line without control characters');
  if (!Number.isSafeInteger(size) || size < 0) throw new CheckpointError(`size ${size} is not a non-negative safe integer`);
  if (root.length !== HASH_SIZE) throw new CheckpointError(`root has ${root.length} bytes, expected ${HASH_SIZE}`);
  return `${origin}\n${size}\n${Buffer.from(root).toString('base64')}\n`;
}

/**
 * Signs a checkpoint as a C2SP signed note with one or more Ed25519 keys.
 *
 * @example signCheckpoint({ origin: 'ledger.example.nl/doorbraak', size: 42, root }, { name: 'ledger.example.nl', privateKey })
 */
export function signCheckpoint(checkpoint: Checkpoint, signers: NoteSigner | readonly NoteSigner[]): string {
  return signNote(checkpointBody(checkpoint), signers);
}

export function signNote(text: string, signers: NoteSigner | readonly NoteSigner[]): string {
  if (!text.endsWith('\n') || text.includes('\n\n')) throw new CheckpointError('note text must be non-empty lines, each ending in a newline');
  const all: readonly NoteSigner[] = Array.isArray(signers) ? signers : [signers as NoteSigner];
  if (all.length === 0) throw new CheckpointError('a signed note needs at least one signer');
  const lines = all.map(({ name, privateKey }) => {
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new CheckpointError(`key ${name} is not an Ed25519 private key`);
    const keyHash = keyHashOf(name, rawPublicKey(createPublicKey(privateKey)));
    const signature = sign(null, Buffer.from(text, 'utf8'), privateKey);
    return `\u2014 ${name} ${Buffer.concat([keyHash, signature]).toString('base64')}\n`;
  });
  return `${text}\n${lines.join('')}`;
}

export function parseCheckpoint(noteText: string): ParsedCheckpoint {
  if (!noteText.endsWith('\n')) throw new CheckpointError('note does not end with a newline');
  const blank = noteText.indexOf('\n\n');
  if (blank < 0) throw new CheckpointError('note has no blank line between the checkpoint and its signatures');
  const body = noteText.slice(0, blank + 1);
  const bodyLines = body.slice(0, -1).split('\n');
  if (bodyLines.length !== 3) {
    throw new CheckpointError(`checkpoint has ${bodyLines.length} lines, expected 3 (origin, size, root hash)`);
  }
  const [origin, sizeText, rootText] = bodyLines as [string, string, string];
  if (origin === '' || hasControlCharacter(origin)) throw new CheckpointError('origin line is empty or contains a control character');
  if (!DECIMAL.test(sizeText)) throw new CheckpointError(`size ${JSON.stringify(sizeText)} is not a decimal number without leading zeros`);
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw new CheckpointError(`size ${sizeText} is too large`);
  const root = strictBase64(rootText, 'root hash');
  if (root.length !== HASH_SIZE) throw new CheckpointError(`root hash has ${root.length} bytes, expected ${HASH_SIZE}`);

  const signatureBlock = noteText.slice(blank + 2);
  if (signatureBlock === '') throw new CheckpointError('note has no signature lines');
  const signatures = signatureBlock
    .slice(0, -1)
    .split('\n')
    .map((line, index) => {
      const match = SIGNATURE_LINE.exec(line);
      if (!match) throw new CheckpointError(`signature line ${index + 1} is not "\u2014 <key name> <base64>"`);
      const bytes = strictBase64(match[2]!, `signature of key ${match[1]}`);
      if (bytes.length < 5) throw new CheckpointError(`signature of key ${match[1]} is too short`);
      return { name: match[1]!, keyHash: bytes.subarray(0, 4), signature: bytes.subarray(4) };
    });
  return { origin, size, root, body, signatures };
}

/** Signatures by other keys are ignored, as signed-note prescribes; a bad or absent one by this key throws. */
export function verifyCheckpoint(noteText: string, vkey: string): ParsedCheckpoint {
  const key = parseVerifierKey(vkey);
  const checkpoint = parseCheckpoint(noteText);
  const own = checkpoint.signatures.filter((s) => s.name === key.name && s.keyHash.equals(key.keyHash));
  if (own.length === 0) {
    const names = checkpoint.signatures.map((s) => `${s.name}+${s.keyHash.toString('hex')}`).join(', ');
    throw new CheckpointError(`checkpoint has no signature by key ${key.name}+${key.keyHash.toString('hex')} (found: ${names})`);
  }
  for (const { signature } of own) {
    const valid = signature.length === ED25519_SIGNATURE_SIZE && verify(null, Buffer.from(checkpoint.body, 'utf8'), key.publicKey, signature);
    if (!valid) throw new CheckpointError(`signature by key ${key.name} does not verify: the checkpoint or its signature was altered`);
  }
  return checkpoint;
}

export function parseVerifierKey(vkey: string): VerifierKey {
  const parts = vkey.split('+');
  const [name, hashHex] = parts;
  // The base64 key may itself contain '+', so only the first two separators split fields.
  const keyText = parts.slice(2).join('+');
  if (parts.length < 3 || !name || !KEY_NAME.test(name)) throw new CheckpointError('verifier key is not "<name>+<hash>+<key>"');
  if (!/^[0-9a-f]{8}$/.test(hashHex!)) throw new CheckpointError('verifier key hash is not 8 lowercase hex digits');
  const keyBytes = strictBase64(keyText, 'verifier key');
  if (keyBytes.length !== 33 || keyBytes[0] !== ED25519) throw new CheckpointError('verifier key is not an Ed25519 key');
  const raw = keyBytes.subarray(1);
  const keyHash = keyHashOf(name, raw);
  if (keyHash.toString('hex') !== hashHex) throw new CheckpointError('verifier key hash does not match its name and key');
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  return { name, keyHash, publicKey };
}

export function vkeyFor(name: string, publicKey: KeyObject): string {
  const raw = rawPublicKey(publicKey.type === 'private' ? createPublicKey(publicKey) : publicKey);
  return `${name}+${keyHashOf(name, raw).toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), raw]).toString('base64')}`;
}

/** A fresh Ed25519 signing key for development and tests; production keys live in an HSM or KMS. */
export function generateSigningKey(name: string): { name: string; privateKey: KeyObject; privateKeyPem: string; vkey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { name, privateKey, privateKeyPem, vkey: vkeyFor(name, publicKey) };
}

function keyHashOf(name: string, rawKey: Uint8Array): Buffer {
  if (!KEY_NAME.test(name)) throw new CheckpointError(`key name ${JSON.stringify(name)} must be non-empty without spaces or '+'`);
  return createHash('sha256').update(`${name}\n`, 'utf8').update(Buffer.from([ED25519])).update(rawKey).digest().subarray(0, 4);
}

function rawPublicKey(publicKey: KeyObject): Buffer {
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new CheckpointError('key is not an Ed25519 key');
  const { x } = publicKey.export({ format: 'jwk' });
  return Buffer.from(x!, 'base64url');
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function strictBase64(text: string, what: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  // Node's decoder skips invalid characters; a lossless round trip proves the text was canonical base64.
  if (bytes.toString('base64') !== text) throw new CheckpointError(`${what} is not valid base64`);
  return bytes;
}
