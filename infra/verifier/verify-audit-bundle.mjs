#!/usr/bin/env node
// Auditor's verifier of an audit bundle (see VERIFY.md): `node verify-audit-bundle.mjs --key <expected> <bundle-dir>`,
// or of a running ledger's published tree: `node verify-audit-bundle.mjs --key <vkey> --url <api base>`. It uses
// the Node.js standard library only and shares no code with the ledger, so a fault in the ledger cannot hide here.
// The expected key comes from outside the bundle or the ledger: either carries whatever key its maker chose.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const HASH_SIZE = 32;
const ED25519 = 0x01;
const REQUIRED_STRINGS = ['eventId', 'streamId', 'type'];
const REQUIRED_INTEGERS = ['logIndex', 'streamVersion'];

export function canonicalJson(value) {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${value} is not a finite number`);
      return JSON.stringify(value);
    case 'string':
      if (/\p{Surrogate}/u.test(value)) throw new TypeError('string contains a lone surrogate');
      return JSON.stringify(value);
    case 'object':
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      // Default sort compares UTF-16 code units, the order RFC 8785 §3.2.3 prescribes.
      return `{${Object.keys(value)
        .sort()
        .filter((key) => value[key] !== undefined)
        .map((key) => `${canonicalJson(key)}:${canonicalJson(value[key])}`)
        .join(',')}}`;
    default:
      throw new TypeError(`a ${typeof value} has no JSON form`);
  }
}

export function leafHash(bytes) {
  return createHash('sha256').update(Buffer.from([0x00])).update(bytes).digest();
}

export function nodeHash(left, right) {
  return createHash('sha256').update(Buffer.from([0x01])).update(left).update(right).digest();
}

export function emptyRoot() {
  return createHash('sha256').digest();
}

export class TreeHasher {
  size = 0;
  #stack = [];

  append(leaf) {
    let carry = leaf;
    for (let rest = this.size; rest % 2 === 1; rest = Math.floor(rest / 2)) carry = nodeHash(this.#stack.pop(), carry);
    this.#stack.push(carry);
    this.size += 1;
  }

  root() {
    if (this.#stack.length === 0) return emptyRoot();
    let root = this.#stack[this.#stack.length - 1];
    for (let i = this.#stack.length - 2; i >= 0; i -= 1) root = nodeHash(this.#stack[i], root);
    return root;
  }
}

export function rootFromLeafHashes(hashes) {
  const tree = new TreeHasher();
  for (const hash of hashes) tree.append(hash);
  return tree.root();
}

const ok = () => ({ ok: true });
const fail = (reason) => ({ ok: false, reason });
const isSize = (n) => Number.isSafeInteger(n) && n >= 0;
const isOdd = (n) => n % 2 === 1;
const half = (n) => Math.floor(n / 2);
const sameBytes = (a, b) => a.length === b.length && Buffer.compare(a, b) === 0;

function badProofHash(proof) {
  const index = proof.findIndex((hash) => hash.length !== HASH_SIZE);
  return index < 0 ? undefined : `proof hash ${index} has ${proof[index].length} bytes, expected ${HASH_SIZE}`;
}

export function verifyInclusion(index, size, leaf, proof, root) {
  if (!isSize(index) || !isSize(size)) return fail('leaf index and tree size must be non-negative safe integers');
  if (index >= size) return fail(`leaf index ${index} is not below tree size ${size}`);
  if (leaf.length !== HASH_SIZE) return fail(`leaf hash has ${leaf.length} bytes, expected ${HASH_SIZE}`);
  const bad = badProofHash(proof);
  if (bad) return fail(bad);
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return fail('proof is longer than the path to the root');
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = nodeHash(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  if (sn !== 0) return fail('proof is shorter than the path to the root');
  return sameBytes(r, root) ? ok() : fail('calculated root does not match the given root');
}

/** RFC 9162 §2.1.4.2; size1 = 0 is refused as meaningless, as in the transparency-dev reference verifier. */
export function verifyConsistency(size1, size2, proof, root1, root2) {
  if (!isSize(size1) || !isSize(size2)) return fail('tree sizes must be non-negative safe integers');
  if (size2 < size1) return fail(`second tree size ${size2} is smaller than first tree size ${size1}`);
  if (size1 === 0) return fail('a consistency proof from the empty tree is meaningless');
  if (size1 === size2) {
    if (proof.length > 0) return fail('trees of equal size need an empty proof');
    return sameBytes(root1, root2) ? ok() : fail('trees of equal size have different roots');
  }
  if (proof.length === 0) return fail('proof is empty');
  const bad = badProofHash(proof);
  if (bad) return fail(bad);
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) [fn, sn] = [half(fn), half(sn)];
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return fail('proof is longer than needed');
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = nodeHash(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  if (sn !== 0) return fail('proof is shorter than needed');
  if (!sameBytes(fr, root1)) return fail('proof does not lead to the first root');
  return sameBytes(sr, root2) ? ok() : fail('proof does not lead to the second root');
}

function isPowerOfTwo(n) {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

function strictBase64(text, what) {
  const bytes = Buffer.from(text, 'base64');
  // Node's decoder skips characters it does not know; only a lossless round trip proves valid base64.
  if (typeof text !== 'string' || bytes.toString('base64') !== text) throw new Error(`${what} is not valid base64`);
  return bytes;
}

function keyHashOf(name, rawKey) {
  return createHash('sha256').update(`${name}\n`, 'utf8').update(Buffer.from([ED25519])).update(rawKey).digest().subarray(0, 4);
}

export function parseVerifierKey(vkey) {
  const match = /^([^\s+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/u.exec(vkey);
  if (!match) throw new Error('public key is not of the form <name>+<8 hex digits>+<base64 key>');
  const [, name, hashHex, keyText] = match;
  const bytes = strictBase64(keyText, 'public key');
  if (bytes.length !== 33 || bytes[0] !== ED25519) throw new Error('public key is not an Ed25519 key');
  const raw = bytes.subarray(1);
  if (keyHashOf(name, raw).toString('hex') !== hashHex) throw new Error('public key hash does not match its name and key');
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  return { name, keyHash: Buffer.from(hashHex, 'hex'), publicKey };
}

/** Names of the policy's witnesses (cosignature/v1 verifier keys) with a valid cosignature on the checkpoint, and those without. */
/** Whether at least `threshold` of `witnesses` validly cosigned `checkpoint` (named `what` in a refusal). */
function witnessPolicy(checkpoint, witnesses, threshold, what) {
  let result;
  try {
    result = witnessCosignatures(checkpoint, witnesses);
  } catch (error) {
    return { problem: error.message };
  }
  const { cosigned, missing } = result;
  if (cosigned.length < threshold) return { problem: `${cosigned.length} of the required ${threshold} witnesses cosigned ${what}; missing: ${missing.join(', ')}` };
  return { detail: `${cosigned.length} of ${witnesses.length} witnesses cosigned (${cosigned.join(', ')}); ${threshold} required` };
}

export function witnessCosignatures(checkpoint, witnessVkeys) {
  const cosigned = [];
  const missing = [];
  for (const vkey of witnessVkeys) {
    const [name, hashHex, ...rest] = vkey.split('+');
    const raw = strictBase64(rest.join('+'), `witness key ${name}`);
    if (raw.length !== 33 || raw[0] !== 0x04) throw new Error(`witness key ${name} is not a cosignature/v1 Ed25519 key`);
    const keyHash = createHash('sha256').update(`${name}\n`, 'utf8').update(raw).digest().subarray(0, 4);
    if (keyHash.toString('hex') !== hashHex) throw new Error(`witness key ${name} has a key hash that does not match`);
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.subarray(1).toString('base64url') }, format: 'jwk' });
    const valid = checkpoint.signatures.some((s) => {
      if (s.name !== name || !s.keyHash.equals(keyHash) || s.signature.length !== 72) return false;
      const message = `cosignature/v1\ntime ${s.signature.readBigUInt64BE(0)}\n${checkpoint.body}`;
      return verify(null, Buffer.from(message, 'utf8'), publicKey, s.signature.subarray(8));
    });
    (valid ? cosigned : missing).push(name);
  }
  return { cosigned, missing };
}

export function parseCheckpoint(text) {
  if (!text.endsWith('\n')) throw new Error('does not end with a newline');
  const blank = text.indexOf('\n\n');
  if (blank < 0) throw new Error('has no blank line between the checkpoint and its signatures');
  const body = text.slice(0, blank + 1);
  const lines = body.slice(0, -1).split('\n');
  if (lines.length !== 3) throw new Error(`has ${lines.length} checkpoint lines, expected 3 (origin, size, root hash)`);
  const [origin, sizeText, rootText] = lines;
  if (origin === '' || [...origin].some((c) => c < ' ' || c === '\u007f')) {
    throw new Error('origin line is empty or contains a control character');
  }
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw new Error(`size ${JSON.stringify(sizeText)} is not a decimal number without leading zeros`);
  }
  const root = strictBase64(rootText, 'root hash');
  if (root.length !== HASH_SIZE) throw new Error(`root hash has ${root.length} bytes, expected ${HASH_SIZE}`);
  const block = text.slice(blank + 2);
  if (block === '') throw new Error('has no signature lines');
  const signatures = block
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      const match = /^\u2014 ([^\s+]+) ([A-Za-z0-9+/=]+)$/u.exec(line);
      if (!match) throw new Error(`signature line ${i + 1} is not "\u2014 <key name> <base64>"`);
      const bytes = strictBase64(match[2], `signature of key ${match[1]}`);
      if (bytes.length < 5) throw new Error(`signature of key ${match[1]} is too short`);
      return { name: match[1], keyHash: bytes.subarray(0, 4), signature: bytes.subarray(4) };
    });
  return { origin, size: Number(sizeText), root, body, signatures };
}

export function verifyCheckpoint(text, vkey) {
  const key = parseVerifierKey(vkey);
  const checkpoint = parseCheckpoint(text);
  const own = checkpoint.signatures.filter((s) => s.name === key.name && s.keyHash.equals(key.keyHash));
  if (own.length === 0) throw new Error(`carries no signature by key ${key.name}+${key.keyHash.toString('hex')}`);
  for (const { signature } of own) {
    if (signature.length !== 64 || !verify(null, Buffer.from(checkpoint.body, 'utf8'), key.publicKey, signature)) {
      throw new Error(`signature by key ${key.name} does not verify: the checkpoint or its signature was altered`);
    }
  }
  return { ...checkpoint, keyId: `${key.name}+${key.keyHash.toString('hex')}` };
}

// Chunked, so bundles larger than memory can be checked; lines are yielded as the exact bytes that were hashed.
function* readLines(file) {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    let pending = Buffer.alloc(0);
    for (let read; (read = readSync(fd, chunk, 0, chunk.length, null)) > 0; ) {
      const data = Buffer.concat([pending, chunk.subarray(0, read)]);
      let start = 0;
      for (let nl; (nl = data.indexOf(0x0a, start)) >= 0; start = nl + 1) yield data.subarray(start, nl);
      pending = data.subarray(start);
    }
    if (pending.length > 0) yield pending;
  } finally {
    closeSync(fd);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function readEntry(bytes) {
  if (bytes.length === 0) return { problem: 'is empty' };
  let text;
  let value;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { problem: 'is not valid UTF-8' };
  }
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `is not valid JSON (${error.message})` };
  }
  const entry = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  let canonical;
  try {
    canonical = canonicalJson(value);
  } catch (error) {
    return { entry, problem: `has no canonical JSON form (${error.message})` };
  }
  if (text.endsWith('\r')) return { entry, problem: 'ends with a carriage return (a Windows line ending)' };
  if (canonical !== text) {
    let at = 0;
    while (canonical[at] === text[at]) at += 1;
    const byte = Buffer.byteLength(text.slice(0, at));
    return { entry, problem: `is not canonical JSON (RFC 8785): it differs from its canonical form at byte ${byte}` };
  }
  if (!entry) return { problem: 'is not a JSON object' };
  for (const field of REQUIRED_INTEGERS) {
    if (!(Number.isSafeInteger(entry[field]) && entry[field] >= 0)) return { entry, problem: `has no non-negative integer ${field}` };
  }
  for (const field of REQUIRED_STRINGS) {
    if (typeof entry[field] !== 'string' || entry[field] === '') return { entry, problem: `has no ${field} string` };
  }
  return { entry };
}

/** A failure at one line of entries.jsonl, named by line number, logIndex and eventId as far as they are known. */
function failureAt(line, entry, problem) {
  const at = { line };
  if (Number.isSafeInteger(entry?.logIndex)) at.logIndex = entry.logIndex;
  if (typeof entry?.eventId === 'string') at.eventId = entry.eventId;
  const known = [at.logIndex !== undefined && `logIndex ${at.logIndex}`, at.eventId !== undefined && `eventId ${at.eventId}`].filter(Boolean);
  return { ...at, message: `entries.jsonl line ${line}${known.length > 0 ? ` (${known.join(', ')})` : ''} ${problem}` };
}

function indexProblem(found, expected) {
  if (found > expected) {
    const missing = found - 1 > expected ? `${expected} to ${found - 1}` : `${expected}`;
    return `has logIndex ${found} where ${expected} was expected: the entry with logIndex ${missing} is missing or out of order`;
  }
  const earlier = `line ${found + 1} already has logIndex ${found}`;
  return `has logIndex ${found} where ${expected} was expected: ${earlier}, so an entry was inserted, repeated or moved here`;
}

// One pass records the first failure of each per-entry check; verifyBundle reports them in check order.
function scanEntries(file, prefixSize) {
  const tree = new TreeHasher();
  const versions = new Map();
  const scan = { count: 0, prefixRoot: undefined, badLine: undefined, badIndex: undefined, badVersion: undefined };
  for (const bytes of readLines(file)) {
    const line = scan.count + 1;
    const expectedIndex = scan.count;
    tree.append(leafHash(bytes));
    scan.count += 1;
    if (scan.count === prefixSize) scan.prefixRoot = tree.root();

    const { entry, problem } = readEntry(bytes);
    if (problem) {
      scan.badLine ??= failureAt(line, entry, problem);
      continue;
    }
    if (entry.logIndex !== expectedIndex) scan.badIndex ??= failureAt(line, entry, indexProblem(entry.logIndex, expectedIndex));
    const expectedVersion = (versions.get(entry.streamId) ?? 0) + 1;
    if (entry.streamVersion !== expectedVersion) {
      const problem = `has streamVersion ${entry.streamVersion} in stream ${entry.streamId} where ${expectedVersion} was expected`;
      scan.badVersion ??= failureAt(line, entry, problem);
    }
    versions.set(entry.streamId, Math.max(entry.streamVersion, expectedVersion - 1));
  }
  return { ...scan, root: tree.root(), streams: versions.size };
}

function readText(dir, name) {
  try {
    return readFileSync(join(dir, name), 'utf8');
  } catch (error) {
    throw new Error(error.code === 'ENOENT' ? `${name} is missing` : `${name} cannot be read: ${error.message}`);
  }
}

/** The SHA-256 of a verifier key line (without its newline), in hex: what `--key` may pin instead of the key. */
export function keyFingerprint(vkey) {
  return createHash('sha256').update(vkey, 'utf8').digest('hex');
}

/** The key the checkpoints must be signed by: the pinned one (the key or its fingerprint), else the bundle's own. */
function signingKey(dir, pinned) {
  if (pinned === undefined) return readText(dir, 'public-key.txt').trim();
  const bundled = existsSync(join(dir, 'public-key.txt')) ? readText(dir, 'public-key.txt').trim() : undefined;
  if (/^[0-9a-f]{64}$/iu.test(pinned)) {
    if (bundled !== undefined && keyFingerprint(bundled) === pinned.toLowerCase()) return bundled;
  } else {
    parseVerifierKey(pinned);
    if (bundled === undefined || bundled === pinned) return pinned;
  }
  const found = bundled === undefined ? 'the bundle has no public-key.txt' : `public-key.txt holds ${bundled} (fingerprint ${keyFingerprint(bundled)})`;
  throw new Error(`the bundle is not for the pinned key ${pinned}: ${found}`);
}

/**
 * Verifies an audit bundle directory against `key`, the verifier key or its fingerprint as obtained
 * outside the bundle (without it, against the bundle's own public-key.txt). Never throws: returns
 * `{ ok: true, checks }` or `{ ok: false, check, name, message, checks, line?, logIndex?, eventId? }`, where
 * `checks` lists what passed.
 */
export function verifyBundle(dir, { key, witnesses = [], witnessThreshold = witnesses.length } = {}) {
  const checks = [];
  const passed = (check, name, detail) => checks.push({ check, name, detail });
  const failed = (check, name, message, at = {}) => ({ ok: false, check, name, message, ...at, checks });
  const hex = (bytes) => bytes.toString('hex');
  const against = key === undefined ? 'public-key.txt (not pinned)' : 'the pinned key';

  let vkey;
  let checkpoint;
  try {
    vkey = signingKey(dir, key);
    checkpoint = verifyCheckpoint(readText(dir, 'checkpoint.txt'), vkey);
  } catch (error) {
    return failed(1, 'checkpoint signature', `checkpoint.txt checked against ${against}: ${error.message}`);
  }
  passed(1, 'checkpoint signature', `"${checkpoint.origin}" at size ${checkpoint.size}, signed by ${checkpoint.keyId} (key fingerprint ${keyFingerprint(vkey)}, ${against})`);

  const hasPrevious = existsSync(join(dir, 'previous-checkpoint.txt'));
  const hasProof = existsSync(join(dir, 'consistency-proof.json'));
  let previous;
  let previousProblem;
  if (hasPrevious) {
    try {
      previous = verifyCheckpoint(readText(dir, 'previous-checkpoint.txt'), vkey);
    } catch (error) {
      previousProblem = `previous-checkpoint.txt checked against ${against}: ${error.message}`;
    }
  }

  const entriesFile = join(dir, 'entries.jsonl');
  if (!existsSync(entriesFile)) return failed(2, 'canonical entries', 'entries.jsonl is missing');
  let scan;
  try {
    scan = scanEntries(entriesFile, previous?.size);
  } catch (error) {
    return failed(2, 'canonical entries', `entries.jsonl cannot be read: ${error.message}`);
  }

  if (scan.badLine) return failed(2, 'canonical entries', scan.badLine.message, scan.badLine);
  passed(2, 'canonical entries', `${scan.count} lines, each canonical JSON with logIndex, eventId, streamId, streamVersion and type`);

  if (scan.badIndex) return failed(3, 'log indexes', scan.badIndex.message, scan.badIndex);
  passed(3, 'log indexes', scan.count === 0 ? 'no entries' : `0 to ${scan.count - 1} without gaps, repeats or reordering`);

  if (scan.count !== checkpoint.size) {
    const counts = `entries.jsonl has ${scan.count} entries but the checkpoint commits to ${checkpoint.size}`;
    const message =
      scan.count < checkpoint.size
        ? `${counts}: the entries with logIndex ${scan.count} to ${checkpoint.size - 1} are missing (the log was truncated)`
        : `${counts}: the entries from logIndex ${checkpoint.size} on are not covered by the signed checkpoint`;
    return failed(4, 'entry count', message, { logIndex: Math.min(scan.count, checkpoint.size) });
  }
  passed(4, 'entry count', `${scan.count} entries, as the checkpoint says`);

  if (!sameBytes(scan.root, checkpoint.root)) {
    let hint = 'Every entry is well-formed and in order, so the bundle alone cannot tell which entry differs.';
    if (previous && scan.prefixRoot) {
      const first = `The first ${previous.size} entries`;
      hint = sameBytes(scan.prefixRoot, previous.root)
        ? `${first} still match the previous checkpoint, so the difference lies in logIndex ${previous.size} to ${scan.count - 1}.`
        : `${first} do not match the previous checkpoint either, so at least one difference lies in logIndex 0 to ${previous.size - 1}.`;
    }
    const roots = `the root recomputed from entries.jsonl (${hex(scan.root)}) is not the signed root (${hex(checkpoint.root)})`;
    return failed(5, 'Merkle root', `${roots}: the entries are not the ones the checkpoint signed. ${hint}`);
  }
  passed(5, 'Merkle root', `${hex(scan.root)} recomputed from the entries equals the signed root`);

  if (hasPrevious !== hasProof) {
    const [present, missing] = ['previous-checkpoint.txt', 'consistency-proof.json'];
    const message = hasPrevious ? `${present} is present but ${missing} is missing` : `${missing} is present but ${present} is missing`;
    return failed(6, 'previous checkpoint', message);
  }
  if (hasPrevious) {
    const problem = previousProblem ?? consistencyProblem(dir, previous, checkpoint);
    if (problem) return failed(6, 'previous checkpoint', problem);
    passed(6, 'previous checkpoint', `size ${previous.size}, signed by the same key; the consistency proof shows it is a prefix of this log`);
  } else {
    passed(6, 'previous checkpoint', 'none in the bundle (nothing to compare with)');
  }

  if (scan.badVersion) return failed(7, 'stream versions', scan.badVersion.message, scan.badVersion);
  passed(7, 'stream versions', `${scan.streams} streams, each numbered 1, 2, 3, … in log order`);

  if (witnesses.length > 0) {
    const policy = witnessPolicy(checkpoint, witnesses, witnessThreshold, 'checkpoint.txt');
    if (policy.problem) return failed(8, 'witness cosignatures', policy.problem);
    passed(8, 'witness cosignatures', policy.detail);
  }

  const { origin, size, keyId } = checkpoint;
  return { ok: true, origin, size, root: hex(checkpoint.root), keyId, previousSize: previous?.size, streams: scan.streams, checks };
}

function consistencyProblem(dir, previous, current) {
  if (previous.origin !== current.origin) return `previous checkpoint is for origin "${previous.origin}", not "${current.origin}"`;
  let size1;
  let size2;
  let proof;
  try {
    ({ size1, size2, proof } = JSON.parse(readText(dir, 'consistency-proof.json')));
    if (!Array.isArray(proof)) throw new Error('"proof" is not an array');
    proof = proof.map((hash, i) => strictBase64(hash, `proof hash ${i}`));
  } catch (error) {
    return `consistency-proof.json is malformed: ${error.message}`;
  }
  if (size1 !== previous.size || size2 !== current.size) {
    return `consistency-proof.json is for sizes ${size1} to ${size2}, but the checkpoints have sizes ${previous.size} and ${current.size}`;
  }
  if (previous.size === 0) {
    // Every log extends the empty log; RFC 9162 has no proof for it, only the empty root to check.
    const empty = proof.length === 0 && sameBytes(previous.root, emptyRoot());
    return empty ? undefined : 'previous checkpoint of size 0 must have the empty root and an empty proof';
  }
  const result = verifyConsistency(previous.size, current.size, proof, previous.root, current.root);
  if (result.ok) return undefined;
  return `the previous checkpoint (size ${previous.size}) is not a prefix of the current one (size ${current.size}): ${result.reason}`;
}

const TILE_WIDTH = 256;

/** `tile/<L>/<N>[.p/<W>]` (C2SP tlog-tiles): N in groups of three digits, each group but the last prefixed with `x`. */
export function tilePath(level, index, width) {
  const digits = String(index);
  const groups = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end).padStart(3, '0'));
  const n = groups.map((group, i) => (i < groups.length - 1 ? `x${group}` : group)).join('/');
  return `tile/${level}/${n}${width === TILE_WIDTH ? '' : `.p/${width}`}`;
}

/** The root of a full tile's 256 hashes: the hash one level up. */
function foldTile(hashes) {
  let level = Array.from({ length: TILE_WIDTH }, (_, i) => hashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  while (level.length > 1) level = Array.from({ length: level.length / 2 }, (_, i) => nodeHash(level[2 * i], level[2 * i + 1]));
  return level[0];
}

async function fetchOk(url, what) {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`${what}: GET ${url} failed: ${error.cause?.message ?? error.message}`);
  }
  if (!response.ok) throw new Error(`${what}: GET ${url} answered ${response.status}`);
  return response;
}

/** Fetches the tiles of one level of a tree with `count` hashes there, a few at a time, in order. */
async function fetchLevel(base, level, count) {
  const tiles = Array.from({ length: Math.ceil(count / TILE_WIDTH) }, (_, index) => ({ index, width: Math.min(TILE_WIDTH, count - index * TILE_WIDTH) }));
  const out = new Array(tiles.length);
  let next = 0;
  const worker = async () => {
    for (let i; (i = next++) < tiles.length; ) {
      const { index, width } = tiles[i];
      const path = tilePath(level, index, width);
      const bytes = Buffer.from(await (await fetchOk(`${base}/v1/log/${path}`, path)).arrayBuffer());
      if (bytes.length !== width * HASH_SIZE) throw new Error(`${path} has ${bytes.length} bytes, expected ${width * HASH_SIZE} (${width} hashes)`);
      out[i] = { path, bytes };
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return out;
}

/**
 * Checks a running ledger's published tree with nothing but HTTP and the pinned key: the checkpoint's signature,
 * the root rebuilt from every level-0 tile (the leaf hashes), and each tile above against the tiles below it (the
 * tiles proofs are computed from). Witness cosignatures as for a bundle.
 */
export async function verifyRemote(url, vkey, { witnesses = [], witnessThreshold = witnesses.length } = {}) {
  const checks = [];
  const passed = (check, name, detail) => checks.push({ check, name, detail });
  const failed = (check, name, message) => ({ ok: false, check, name, message, checks });
  const base = url.replace(/\/+$/, '');

  let checkpoint;
  try {
    if (/^[0-9a-f]{64}$/iu.test(vkey)) throw new Error('a remote check needs the verifier key itself, not its fingerprint');
    const text = await (await fetchOk(`${base}/v1/log/checkpoint`, 'checkpoint')).text();
    checkpoint = verifyCheckpoint(text, vkey);
  } catch (error) {
    return failed(1, 'checkpoint signature', `${base}/v1/log/checkpoint checked against the given key: ${error.message}`);
  }
  passed(1, 'checkpoint signature', `"${checkpoint.origin}" at size ${checkpoint.size}, signed by ${checkpoint.keyId}`);

  const tree = new TreeHasher();
  let fetched = 0;
  let step = [2, 'tree from tiles'];
  try {
    // Level 0 gives the root; each full tile's fold is a hash of the level above, which must be what is served there.
    let level = 0;
    let tiles = await fetchLevel(base, 0, checkpoint.size);
    for (const { bytes } of tiles) for (let i = 0; i < bytes.length; i += HASH_SIZE) tree.append(bytes.subarray(i, i + HASH_SIZE));
    fetched += tiles.length;
    if (!sameBytes(tree.root(), checkpoint.root)) {
      return failed(2, 'tree from tiles', `the leaf hashes in the ${tiles.length} level-0 tiles give root ${tree.root().toString('base64')}, but the signed checkpoint has ${checkpoint.root.toString('base64')}: a tile was altered or the log was rewritten`);
    }
    passed(2, 'tree from tiles', `the ${checkpoint.size} leaf hashes of ${tiles.length} level-0 tiles give the signed root`);
    step = [3, 'tiles above level 0'];
    for (let count = Math.floor(checkpoint.size / TILE_WIDTH); count > 0; count = Math.floor(count / TILE_WIDTH)) {
      const below = tiles;
      level += 1;
      tiles = await fetchLevel(base, level, count);
      fetched += tiles.length;
      for (let i = 0; i < count; i += 1) {
        const { path, bytes } = tiles[Math.floor(i / TILE_WIDTH)];
        const offset = (i % TILE_WIDTH) * HASH_SIZE;
        if (!sameBytes(bytes.subarray(offset, offset + HASH_SIZE), foldTile(below[i].bytes))) {
          return failed(3, 'tiles above level 0', `hash ${i % TILE_WIDTH} of ${path} is not the root of ${below[i].path}: the tiles proofs are read from were altered`);
        }
      }
    }
    passed(3, 'tiles above level 0', `${fetched - Math.ceil(checkpoint.size / TILE_WIDTH)} tiles of levels 1 to ${level} agree with the tiles below them`);
  } catch (error) {
    return failed(...step, error.message);
  }

  if (witnesses.length > 0) {
    const policy = witnessPolicy(checkpoint, witnesses, witnessThreshold, 'the checkpoint');
    if (policy.problem) return failed(4, 'witness cosignatures', policy.problem);
    passed(4, 'witness cosignatures', policy.detail);
  }
  const { origin, size, keyId } = checkpoint;
  return { ok: true, origin, size, root: checkpoint.root.toString('hex'), keyId, checks };
}

async function main(argv) {
  let parsed;
  try {
    const options = { key: { type: 'string' }, url: { type: 'string' }, witness: { type: 'string', multiple: true }, 'witness-threshold': { type: 'string' } };
    parsed = parseArgs({ args: argv, allowPositionals: true, options });
  } catch {
    parsed = { positionals: [] };
  }
  const key = parsed.values?.key;
  const witnesses = parsed.values?.witness ?? [];
  const threshold = Number(parsed.values?.['witness-threshold'] ?? witnesses.length);
  const url = parsed.values?.url;
  const remote = url !== undefined;
  if (key === undefined || parsed.positionals.length !== (remote ? 0 : 1) || !Number.isInteger(threshold) || threshold < 0 || threshold > witnesses.length) {
    process.stderr.write('usage: node verify-audit-bundle.mjs --key <verifier key or its SHA-256 fingerprint> <bundle-dir> [--witness <vkey>]... [--witness-threshold N]\n');
    process.stderr.write('       node verify-audit-bundle.mjs --key <verifier key> --url <api base> [--witness <vkey>]... [--witness-threshold N]\n');
    process.stderr.write('The key is the one the municipality published, never the bundle\'s own public-key.txt (see VERIFY.md).\n');
    return 2;
  }
  const policy = { witnesses, witnessThreshold: threshold };
  const dir = remote ? undefined : resolve(parsed.positionals[0]);
  const result = remote ? await verifyRemote(url, key, policy) : verifyBundle(dir, { key, ...policy });
  process.stdout.write(remote ? `Published log at ${url}\n` : `Audit bundle ${dir}\n`);
  for (const { check, name, detail } of result.checks) process.stdout.write(`  ok   (${check}) ${name}: ${detail}\n`);
  if (!result.ok) {
    process.stdout.write(`  FAIL (${result.check}) ${result.name}: ${result.message}\n`);
    process.stdout.write(`REJECTED: do not rely on this ${remote ? 'log' : 'bundle'}; see VERIFY.md, "When a check fails".\n`);
    return 1;
  }
  process.stdout.write(`VERIFIED: ${result.size} entries of "${result.origin}", root ${result.root}, signed by ${result.keyId}.\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
