import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** IVs drawn from the random source at once: one call per this many seals instead of one per seal. */
const IVS_PER_DRAW = 1024;

let ivs = Buffer.alloc(0);
let nextIv = 0;

/** A fresh random IV: a slice of one larger draw, each slice handed out once, so no IV is ever used twice. */
function freshIv(): Buffer {
  if (nextIv === ivs.length) {
    ivs = randomBytes(IV_BYTES * IVS_PER_DRAW);
    nextIv = 0;
  }
  const iv = ivs.subarray(nextIv, nextIv + IV_BYTES);
  nextIv += IV_BYTES;
  return iv;
}

/** AES-256-GCM: iv ‖ tag ‖ ciphertext, authenticated together with `aad`. */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad: string): Buffer {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** @throws when the key, the aad or a single bit of the sealed bytes is wrong. */
export function open(key: Uint8Array, sealed: Uint8Array, aad: string): Buffer {
  // A view of the sealed bytes, not a copy.
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES)).setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  const plaintext = decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES));
  // GCM hands out all of the plaintext on update; final checks the tag and throws when it is wrong.
  decipher.final();
  return plaintext;
}
