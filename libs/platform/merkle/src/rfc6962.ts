import { Buffer } from 'node:buffer';
import { hash } from 'node:crypto';

export const HASH_SIZE = 32;

export type Verification = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: Verification = { ok: true };
const fail = (reason: string): Verification => ({ ok: false, reason });

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

// Node's one-shot `hash` over one concatenated buffer: about twice as fast as a Hash object per node, which is
// what building and checking the tree costs.
export function emptyRoot(): Buffer {
  return hash('sha256', Buffer.alloc(0), 'buffer');
}

/** SHA-256(0x00 ‖ data); a string is hashed as its UTF-8 bytes. */
export function leafHash(data: Uint8Array | string): Buffer {
  return hash('sha256', typeof data === 'string' ? `\0${data}` : Buffer.concat([LEAF_PREFIX, data]), 'buffer');
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return hash('sha256', Buffer.concat([NODE_PREFIX, left, right]), 'buffer');
}

export function rootFromLeafHashes(hashes: readonly Uint8Array[]): Buffer {
  return rootFrom(hashes.length, leafHashSource(hashes));
}

/** The audit path (RFC 6962 §2.1.1) of leaf `index` in the tree over `leafHashes`, from the leaf up. */
export function inclusionProof(index: number, leafHashes: readonly Uint8Array[]): Buffer[] {
  return inclusionProofFrom(index, leafHashes.length, leafHashSource(leafHashes));
}

/** RFC 6962 §2.1.2 proof that the first `m` leaves are a prefix of all; m = 0 is refused, as verifiers refuse it. */
export function consistencyProof(m: number, leafHashes: readonly Uint8Array[]): Buffer[] {
  return consistencyProofFrom(m, leafHashes.length, leafHashSource(leafHashes));
}

/**
 * The root of the perfect subtree of 2^height leaves that starts at leaf `index`·2^height. Every node a proof or
 * a root needs is one of these or a fold of them, so a store of such hashes (tiles) serves proofs in O(log n).
 */
export type SubtreeHashes = (height: number, index: number) => Buffer;

/** Subtree roots computed from all leaf hashes (O(n) for the large ones). */
export function leafHashSource(leafHashes: readonly Uint8Array[]): SubtreeHashes {
  return (height, index) => subtreeRoot(leafHashes, index * 2 ** height, (index + 1) * 2 ** height);
}

export function rootFrom(size: number, source: SubtreeHashes): Buffer {
  assertSize(size, 'tree size');
  return size === 0 ? emptyRoot() : rangeRoot(source, 0, size);
}

export function inclusionProofFrom(index: number, size: number, source: SubtreeHashes): Buffer[] {
  assertSize(index, 'leaf index');
  assertSize(size, 'tree size');
  if (index >= size) throw new RangeError(`leaf index ${index} is not below tree size ${size}`);
  return path(index, source, 0, size);
}

export function consistencyProofFrom(m: number, size: number, source: SubtreeHashes): Buffer[] {
  assertSize(m, 'first tree size');
  assertSize(size, 'second tree size');
  if (m === 0) throw new RangeError('a consistency proof from the empty tree is meaningless');
  if (m > size) throw new RangeError(`first tree size ${m} exceeds second tree size ${size}`);
  return subproof(m, source, 0, size, true);
}

/** RFC 9162 §2.1.3.2, with sizes as safe integers. */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): Verification {
  const bad = sizeProblem(index, 'leaf index') ?? sizeProblem(size, 'tree size');
  if (bad) return fail(bad);
  if (index >= size) return fail(`leaf index ${index} is not below tree size ${size}`);
  if (leaf.length !== HASH_SIZE) return fail(`leaf hash has ${leaf.length} bytes, expected ${HASH_SIZE}`);
  const badHash = proofHashProblem(proof);
  if (badHash) return fail(badHash);

  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
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
  return sameBytes(r, root) ? OK : fail('calculated root does not match the given root');
}

/**
 * RFC 9162 §2.1.4.2. Equal sizes need an empty proof and equal roots; size1 = 0 is refused as meaningless, as the
 * transparency-dev reference verifier does.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): Verification {
  const bad = sizeProblem(size1, 'first tree size') ?? sizeProblem(size2, 'second tree size');
  if (bad) return fail(bad);
  if (size2 < size1) return fail(`second tree size ${size2} is smaller than first tree size ${size1}`);
  if (size1 === 0) return fail('a consistency proof from the empty tree is meaningless');
  if (size1 === size2) {
    if (proof.length > 0) return fail('trees of equal size need an empty proof');
    return sameBytes(root1, root2) ? OK : fail('trees of equal size have different roots');
  }
  if (proof.length === 0) return fail('proof is empty');
  const badHash = proofHashProblem(proof);
  if (badHash) return fail(badHash);

  const path: readonly Uint8Array[] = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) [fn, sn] = [half(fn), half(sn)];
  let fr = path[0]!;
  let sr = path[0]!;
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
  return sameBytes(sr, root2) ? OK : fail('proof does not lead to the second root');
}

/**
 * Incremental tree hash holding the roots of the perfect subtrees on the right edge (one per set bit of `size`,
 * largest first): O(log n) state that a database can persist as `size` plus `hashes`.
 */
export class MerkleFrontier {
  private constructor(
    private count: number,
    private readonly stack: Buffer[],
  ) {}

  static empty(): MerkleFrontier {
    return new MerkleFrontier(0, []);
  }

  /** Rebuilds a frontier from persisted state; rejects hashes that cannot belong to a tree of `size` leaves. */
  static restore(size: number, frontierHashes: readonly Uint8Array[]): MerkleFrontier {
    assertSize(size, 'tree size');
    const expected = popCount(size);
    if (frontierHashes.length !== expected) {
      throw new RangeError(`a tree of size ${size} has ${expected} frontier hashes, got ${frontierHashes.length}`);
    }
    for (const hash of frontierHashes) {
      if (hash.length !== HASH_SIZE) throw new RangeError(`frontier hash has ${hash.length} bytes, expected ${HASH_SIZE}`);
    }
    return new MerkleFrontier(size, frontierHashes.map((hash) => Buffer.from(hash)));
  }

  get size(): number {
    return this.count;
  }

  get hashes(): Buffer[] {
    return this.stack.map((hash) => Buffer.from(hash));
  }

  append(leaf: Uint8Array): void {
    if (leaf.length !== HASH_SIZE) throw new RangeError(`leaf hash has ${leaf.length} bytes, expected ${HASH_SIZE}`);
    let carry: Buffer = Buffer.from(leaf);
    // Each trailing one bit of the old size is a perfect subtree of the new leaf's size: merge them.
    for (let rest = this.count; isOdd(rest); rest = half(rest)) carry = nodeHash(this.stack.pop()!, carry);
    this.stack.push(carry);
    this.count += 1;
  }

  root(): Buffer {
    if (this.stack.length === 0) return emptyRoot();
    let root = this.stack[this.stack.length - 1]!;
    for (let i = this.stack.length - 2; i >= 0; i -= 1) root = nodeHash(this.stack[i]!, root);
    return root;
  }
}

function subtreeRoot(hashes: readonly Uint8Array[], start: number, end: number): Buffer {
  if (end - start === 1) return Buffer.from(hashes[start]!);
  const k = largestPowerOfTwoBelow(end - start);
  return nodeHash(subtreeRoot(hashes, start, start + k), subtreeRoot(hashes, start + k, end));
}

// The RFC's recursion only ever splits off perfect subtrees aligned to their own size, so each range below
// starts at a multiple of its largest perfect part.
function rangeRoot(source: SubtreeHashes, start: number, end: number): Buffer {
  const n = end - start;
  if (isPowerOfTwo(n)) return source(log2(n), start / n);
  const k = largestPowerOfTwoBelow(n);
  return nodeHash(source(log2(k), start / k), rangeRoot(source, start + k, end));
}

function path(m: number, source: SubtreeHashes, start: number, end: number): Buffer[] {
  if (end - start === 1) return [];
  const k = largestPowerOfTwoBelow(end - start);
  return m < k
    ? [...path(m, source, start, start + k), rangeRoot(source, start + k, end)]
    : [...path(m - k, source, start + k, end), rangeRoot(source, start, start + k)];
}

function subproof(m: number, source: SubtreeHashes, start: number, end: number, complete: boolean): Buffer[] {
  const n = end - start;
  if (m === n) return complete ? [] : [rangeRoot(source, start, end)];
  const k = largestPowerOfTwoBelow(n);
  return m <= k
    ? [...subproof(m, source, start, start + k, complete), rangeRoot(source, start + k, end)]
    : [...subproof(m - k, source, start + k, end, false), rangeRoot(source, start, start + k)];
}

function log2(powerOfTwo: number): number {
  let height = 0;
  for (let k = 1; k < powerOfTwo; k *= 2) height += 1;
  return height;
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function sizeProblem(value: number, name: string): string | undefined {
  return Number.isSafeInteger(value) && value >= 0 ? undefined : `${name} ${value} is not a non-negative safe integer`;
}

function assertSize(value: number, name: string): void {
  const problem = sizeProblem(value, name);
  if (problem) throw new RangeError(problem);
}

function proofHashProblem(proof: readonly Uint8Array[]): string | undefined {
  const index = proof.findIndex((hash) => hash.length !== HASH_SIZE);
  return index < 0 ? undefined : `proof hash ${index} has ${proof[index]!.length} bytes, expected ${HASH_SIZE}`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

// Sizes go up to 2^53, beyond the 32 bits that JavaScript's bitwise operators work on.
function isOdd(n: number): boolean {
  return n % 2 === 1;
}

function half(n: number): number {
  return Math.floor(n / 2);
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

function popCount(n: number): number {
  let count = 0;
  for (let rest = n; rest > 0; rest = half(rest)) count += rest % 2;
  return count;
}
