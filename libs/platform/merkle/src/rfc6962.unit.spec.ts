import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  MerkleFrontier,
  consistencyProof,
  inclusionProof,
  leafHash,
  nodeHash,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from './rfc6962';

// In CI the shared folder sits beside the repository root.
const VECTORS = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'rfc6962-testvectors');

interface InclusionVector {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  wantErr: boolean;
}

interface ConsistencyVector {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  wantErr: boolean;
}

function vectorFiles(kind: 'inclusion' | 'consistency'): string[] {
  return readdirSync(join(VECTORS, kind), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json'))
    .map((file) => join(kind, file))
    .sort();
}

function readVector<T>(file: string): T {
  return JSON.parse(readFileSync(join(VECTORS, file), 'utf8')) as T;
}

const b64 = (text: string): Buffer => Buffer.from(text, 'base64');
const hex = (text: string): Buffer => Buffer.from(text, 'hex');

describe('RFC 9162 verification against the transparency-dev vectors', () => {
  const inclusionFiles = vectorFiles('inclusion');
  const consistencyFiles = vectorFiles('consistency');

  it('finds all 196 inclusion and consistency vector files', () => {
    expect(inclusionFiles.length + consistencyFiles.length).toBe(196);
  });

  // One vector's leaf index is 2^64 - 1; JSON.parse rounds it, and the verifier refuses it as unsafe either way.
  it.each(inclusionFiles)('%s yields its wantErr', (file) => {
    const v = readVector<InclusionVector>(file);
    const result = verifyInclusion(v.leafIdx, v.treeSize, b64(v.leafHash), (v.proof ?? []).map(b64), b64(v.root));
    expect({ err: !result.ok }).toEqual({ err: v.wantErr });
  });

  it.each(consistencyFiles)('%s yields its wantErr', (file) => {
    const v = readVector<ConsistencyVector>(file);
    const result = verifyConsistency(v.size1, v.size2, (v.proof ?? []).map(b64), b64(v.root1), b64(v.root2));
    expect({ err: !result.ok }).toEqual({ err: v.wantErr });
  });
});

describe('Merkle tree hash', () => {
  const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(hex);
  const leafHashes = leaves.map((leaf) => leafHash(leaf));
  const roots = [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ];

  it('of the empty tree is SHA-256 of the empty string', () => {
    expect(rootFromLeafHashes([]).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(MerkleFrontier.empty().root().toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('of a one-leaf tree is the leaf hash', () => {
    const hash = leafHash('data');
    expect(hash).toEqual(createHash('sha256').update(Buffer.from([0])).update('data').digest());
    expect(rootFromLeafHashes([hash])).toEqual(hash);
  });

  it('matches the known roots of the RFC 6962 reference leaves for sizes 1 to 8', () => {
    expect(roots.map((_, i) => rootFromLeafHashes(leafHashes.slice(0, i + 1)).toString('hex'))).toEqual(roots);
  });

  it('generates the known inclusion and consistency proofs', () => {
    expect(inclusionProof(0, leafHashes).map((h) => h.toString('hex'))).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(inclusionProof(1, leafHashes.slice(0, 5)).map((h) => h.toString('hex'))).toEqual([
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ]);
    expect(consistencyProof(6, leafHashes).map((h) => h.toString('hex'))).toEqual([
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(consistencyProof(2, leafHashes.slice(0, 5)).map((h) => h.toString('hex'))).toEqual([
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ]);
    expect(consistencyProof(8, leafHashes)).toEqual([]);
  });

  it('refuses proofs for leaves or prefixes the tree does not have', () => {
    expect(() => inclusionProof(3, leafHashes.slice(0, 3))).toThrow(RangeError);
    expect(() => inclusionProof(-1, leafHashes)).toThrow(RangeError);
    expect(() => consistencyProof(0, leafHashes)).toThrow(RangeError);
    expect(() => consistencyProof(9, leafHashes)).toThrow(RangeError);
  });
});

describe('MerkleFrontier', () => {
  it('restores from its persisted size and hashes', () => {
    const frontier = MerkleFrontier.empty();
    for (let i = 0; i < 13; i += 1) frontier.append(leafHash(String(i)));
    expect(frontier.hashes).toHaveLength(3);
    const restored = MerkleFrontier.restore(frontier.size, frontier.hashes);
    restored.append(leafHash('13'));
    frontier.append(leafHash('13'));
    expect(restored.root()).toEqual(frontier.root());
    expect(restored.size).toBe(14);
  });

  it('refuses state that no tree of that size has', () => {
    const hash = leafHash('x');
    expect(() => MerkleFrontier.restore(3, [hash])).toThrow(RangeError);
    expect(() => MerkleFrontier.restore(1, [hash.subarray(1)])).toThrow(RangeError);
    expect(() => MerkleFrontier.empty().append(hash.subarray(1))).toThrow(RangeError);
  });
});

/** Bottom-up level hashing, a different algorithm from the recursive MTH: an unpaired last node moves up as is. */
function naiveRoot(hashes: readonly Buffer[]): Buffer {
  if (hashes.length === 0) return createHash('sha256').digest();
  let level = [...hashes];
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? nodeHash(level[i]!, level[i + 1]!) : level[i]!);
    level = next;
  }
  return level[0]!;
}

function flipBit(hash: Buffer, bit: number): Buffer {
  const copy = Buffer.from(hash);
  const byte = Math.floor(bit / 8) % copy.length;
  copy[byte] = copy[byte]! ^ (1 << bit % 8);
  return copy;
}

const treeOf = (min: number) =>
  fc.array(fc.uint8Array({ maxLength: 12 }), { minLength: min, maxLength: 300 }).map((leaves) => leaves.map((leaf) => leafHash(leaf)));

// A tree with a chosen leaf index and prefix size, both within it.
const treeWithPoints = treeOf(1).chain((hashes) =>
  fc.record({
    hashes: fc.constant(hashes),
    index: fc.nat({ max: hashes.length - 1 }),
    m: fc.integer({ min: 1, max: hashes.length }),
    bit: fc.nat({ max: 32 * 8 - 1 }),
    pick: fc.nat(),
  }),
);

describe('RFC 6962 properties on random trees of 0 to 300 leaves', () => {
  it('the root equals a bottom-up recomputation', () => {
    fc.assert(fc.property(treeOf(0), (hashes) => expect(rootFromLeafHashes(hashes)).toEqual(naiveRoot(hashes))));
  });

  it('the frontier root equals the tree root after every append', () => {
    fc.assert(
      fc.property(treeOf(0), (hashes) => {
        const frontier = MerkleFrontier.empty();
        expect(frontier.root()).toEqual(rootFromLeafHashes([]));
        hashes.forEach((hash, i) => {
          frontier.append(hash);
          expect(frontier.root()).toEqual(naiveRoot(hashes.slice(0, i + 1)));
        });
        expect(MerkleFrontier.restore(frontier.size, frontier.hashes).root()).toEqual(frontier.root());
      }),
      { numRuns: 30 },
    );
  });

  it('generated inclusion and consistency proofs verify', () => {
    fc.assert(
      fc.property(treeWithPoints, ({ hashes, index, m }) => {
        const root = rootFromLeafHashes(hashes);
        expect(verifyInclusion(index, hashes.length, hashes[index]!, inclusionProof(index, hashes), root)).toEqual({ ok: true });
        const root1 = rootFromLeafHashes(hashes.slice(0, m));
        expect(verifyConsistency(m, hashes.length, consistencyProof(m, hashes), root1, root)).toEqual({ ok: true });
      }),
    );
  });

  it('flipping any bit of an inclusion proof or its root fails verification', () => {
    fc.assert(
      fc.property(treeWithPoints, ({ hashes, index, bit, pick }) => {
        const root = rootFromLeafHashes(hashes);
        const proof = inclusionProof(index, hashes);
        const leaf = hashes[index]!;
        expect(verifyInclusion(index, hashes.length, leaf, proof, flipBit(root, bit)).ok).toBe(false);
        if (proof.length === 0) return;
        const broken = proof.map((hash, i) => (i === pick % proof.length ? flipBit(hash, bit) : hash));
        expect(verifyInclusion(index, hashes.length, leaf, broken, root).ok).toBe(false);
      }),
    );
  });

  it('flipping any bit of a consistency proof or either root fails verification', () => {
    fc.assert(
      fc.property(treeWithPoints, ({ hashes, m, bit, pick }) => {
        const n = hashes.length;
        const root1 = rootFromLeafHashes(hashes.slice(0, m));
        const root2 = rootFromLeafHashes(hashes);
        const proof = consistencyProof(m, hashes);
        expect(verifyConsistency(m, n, proof, flipBit(root1, bit), root2).ok).toBe(false);
        expect(verifyConsistency(m, n, proof, root1, flipBit(root2, bit)).ok).toBe(false);
        if (proof.length === 0) return;
        const broken = proof.map((hash, i) => (i === pick % proof.length ? flipBit(hash, bit) : hash));
        expect(verifyConsistency(m, n, broken, root1, root2).ok).toBe(false);
      }),
    );
  });
});
