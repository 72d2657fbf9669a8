/**
 * RFC 6962 / RFC 9162 inclusion proofs and C2SP signed checkpoints, checked in the browser with WebCrypto, so an
 * auditor need not trust the server's word that an event is in the signed log.
 */
export type Verification = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface InclusionProof {
  readonly logIndex: number;
  readonly treeSize: number;
  readonly leafHash: string;
  readonly proof: readonly string[];
  readonly checkpoint: string | null;
}

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  readonly body: string;
  readonly signatures: readonly { readonly name: string; readonly bytes: Uint8Array }[];
}

const fail = (reason: string): Verification => ({ ok: false, reason });

export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

export function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
}

/** SHA-256(0x01 ‖ left ‖ right). */
const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(Uint8Array.of(0x01), left, right);

/** SHA-256(0x00 ‖ data): how a leaf enters the tree. */
export const leafHash = (data: Uint8Array) => sha256(Uint8Array.of(0x00), data);

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);

/** RFC 9162 §2.1.3.2: the root the audit path leads to from leaf `index` of a tree of `size` leaves. */
export async function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): Promise<Verification> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return fail(`leaf index ${index} is not below tree size ${size}`);
  if (leaf.length !== 32 || proof.some((p) => p.length !== 32)) return fail('hashes must be 32 bytes');
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return fail('proof is longer than the path to the root');
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn / 2, Math.floor(sn / 2)];
    } else {
      r = await nodeHash(r, p);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  if (sn !== 0) return fail('proof is shorter than the path to the root');
  return same(r, root) ? { ok: true } : fail('calculated root does not match the checkpoint root');
}

/** A C2SP signed note holding a checkpoint: origin, size and root, a blank line, then `— name base64` lines. */
export function parseCheckpoint(note: string): Checkpoint {
  const blank = note.indexOf('\n\n');
  if (blank < 0) throw new Error('the checkpoint has no signature block');
  const body = note.slice(0, blank + 1);
  const [origin, size, root] = body.slice(0, -1).split('\n');
  if (!origin || !size || !/^(0|[1-9]\d*)$/.test(size) || !root) throw new Error('the checkpoint is not origin, size and root hash');
  const signatures = note
    .slice(blank + 2)
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/u.exec(line);
      if (!match) throw new Error('a signature line is not "— <name> <base64>"');
      return { name: match[1]!, bytes: fromBase64(match[2]!) };
    });
  return { origin, size: Number(size), root: fromBase64(root), body, signatures };
}

/** The name, key hash and raw Ed25519 key of a note verifier key `name+hash+base64(type ‖ key)` of this type. */
async function noteKey(vkey: string, type: number): Promise<{ name: string; keyHash: Uint8Array; key: Uint8Array<ArrayBuffer> } | string> {
  const [name, hash, ...rest] = vkey.split('+');
  const key = fromBase64(rest.join('+'));
  if (!name || !hash || key.length !== 33 || key[0] !== type) return 'the verifier key is not an Ed25519 note key';
  const keyHash = (await sha256(new TextEncoder().encode(`${name}\n`), key)).slice(0, 4);
  if ([...keyHash].map((b) => b.toString(16).padStart(2, '0')).join('') !== hash) return 'the verifier key hash does not match its name and key';
  return { name, keyHash, key: key.slice(1) };
}

async function ed25519(key: Uint8Array<ArrayBuffer>, signature: Uint8Array<ArrayBuffer>, message: string): Promise<Verification> {
  try {
    const publicKey = await crypto.subtle.importKey('raw', key, { name: 'Ed25519' }, false, ['verify']);
    const valid = await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, signature, new TextEncoder().encode(message));
    return valid ? { ok: true } : fail('the signature does not verify: the checkpoint or its signature was altered');
  } catch {
    return fail('this browser cannot check Ed25519 signatures');
  }
}

/** Checks the Ed25519 signature of the key named by `vkey` (`name+hash+base64(0x01 ‖ key)`) on the checkpoint. */
export async function verifyCheckpointSignature(checkpoint: Checkpoint, vkey: string): Promise<Verification> {
  const key = await noteKey(vkey, 0x01);
  if (typeof key === 'string') return fail(key);
  const signature = checkpoint.signatures.find((s) => s.name === key.name && same(s.bytes.slice(0, 4), key.keyHash));
  if (!signature) return fail(`the checkpoint has no signature by ${key.name}`);
  return ed25519(key.key, signature.bytes.slice(4), checkpoint.body);
}

/**
 * Checks the C2SP tlog-cosignature/v1 of the witness named by `vkey` (`name+hash+base64(0x04 ‖ key)`): Ed25519 over
 * `cosignature/v1`, the time the witness cosigned and the checkpoint.
 */
export async function verifyCosignature(checkpoint: Checkpoint, vkey: string): Promise<Verification> {
  const key = await noteKey(vkey, 0x04);
  if (typeof key === 'string') return fail(key);
  const line = checkpoint.signatures.find((s) => s.name === key.name && same(s.bytes.slice(0, 4), key.keyHash) && s.bytes.length === 4 + 8 + 64);
  if (!line) return fail(`the checkpoint has no cosignature by ${key.name}`);
  const time = new DataView(line.bytes.buffer, line.bytes.byteOffset + 4, 8).getBigUint64(0);
  return ed25519(key.key, line.bytes.slice(12), `cosignature/v1\ntime ${time}\n${checkpoint.body}`);
}
