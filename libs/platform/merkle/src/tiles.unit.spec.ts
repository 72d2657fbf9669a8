import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { consistencyProof, consistencyProofFrom, inclusionProof, inclusionProofFrom, rootFrom, rootFromLeafHashes } from './rfc6962';
import { TILE_WIDTH, TileMissingError, appendToTiles, parseTilePath, rightEdge, tilePath, tileSource, tilesOf, tilesRead, treeTiles, type Tile } from './tiles';

const leaves = (n: number, seed = 0) => Array.from({ length: n }, (_, i) => createHash('sha256').update(`leaf ${seed} ${i}`).digest());
const store = (tiles: readonly Tile[]) => {
  const byKey = new Map(tiles.map((t) => [`${t.level}/${t.index}`, t.hashes]));
  return (level: number, index: number) => byKey.get(`${level}/${index}`);
};

describe('tile paths (C2SP tlog-tiles)', () => {
  it.each([
    [{ level: 0, index: 0, width: 256 }, 'tile/0/000'],
    [{ level: 1, index: 1234067, width: 256 }, 'tile/1/x001/x234/067'],
    [{ level: 2, index: 7, width: 9 }, 'tile/2/007.p/9'],
    [{ level: 0, index: 1000, width: 255 }, 'tile/0/x001/000.p/255'],
  ])('names %o as %s and parses it back', (tile, path) => {
    expect(tilePath(tile)).toBe(path);
    expect(parseTilePath(path)).toEqual(tile);
  });

  it.each(['tile/0/1', 'tile/0/x000/001', 'tile/0/001.p/256', 'tile/0/001.p/0', 'tile/0/001.p/07', 'tile/01/001', 'tile/0/001/', '../tile/0/001'])('refuses %s', (path) => {
    expect(parseTilePath(path)).toBeUndefined();
  });
});

describe('a tree stored as tiles', () => {
  it('has full tiles of 256 hashes and one partial tile per level, as the layout prescribes', () => {
    const size = 256 * 256 + 256 * 3 + 5;
    expect(treeTiles(size).filter((t) => t.width < TILE_WIDTH)).toEqual([
      { level: 0, index: 259, width: 5 },
      { level: 1, index: 1, width: 3 },
      { level: 2, index: 0, width: 1 },
    ]);
    expect(rightEdge(size)).toEqual([
      { level: 0, index: 259, width: 5 },
      { level: 1, index: 1, width: 3 },
      { level: 2, index: 0, width: 1 },
    ]);
    const tiles = tilesOf(leaves(size));
    expect(tiles.map((t) => ({ level: t.level, index: t.index, width: t.hashes.length / 32 }))).toEqual(treeTiles(size));
  });

  it('grows page by page into the same tiles as built at once', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 6 }), (pages) => {
        const all = leaves(pages.reduce((a, b) => a + b, 0));
        const stored = new Map<string, Buffer>();
        let size = 0;
        for (const n of pages) {
          const edge = new Map(rightEdge(size).map((t) => [t.level, stored.get(`${t.level}/${t.index}`)!]));
          for (const tile of appendToTiles(size, (level) => edge.get(level)!, all.slice(size, size + n))) stored.set(`${tile.level}/${tile.index}`, tile.hashes);
          size += n;
        }
        expect(new Map(tilesOf(all).map((t) => [`${t.level}/${t.index}`, t.hashes]))).toEqual(stored);
      }),
      { numRuns: 15 },
    );
  });

  it('refuses to append without the partial tile it extends', () => {
    expect(() => appendToTiles(300, () => Buffer.alloc(0), leaves(1))).toThrow(TileMissingError);
  });

  it('yields the same roots and proofs as the leaf hashes, reading a few tiles', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70_000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (size, a, b) => {
        const hashes = leaves(size, size);
        const source = tileSource(store(tilesOf(hashes)));
        const index = Math.min(size - 1, Math.floor(a * size));
        const m = Math.max(1, Math.min(size, Math.ceil(b * size)));
        expect(rootFrom(size, source)).toEqual(rootFromLeafHashes(hashes));
        expect(inclusionProofFrom(index, size, source)).toEqual(inclusionProof(index, hashes));
        expect(consistencyProofFrom(m, size, source)).toEqual(consistencyProof(m, hashes));
        // O(log n): at most a few tiles per tile level, whatever the size.
        expect(tilesRead((s) => inclusionProofFrom(index, size, s)).length).toBeLessThanOrEqual(3 * 3);
        expect(tilesRead((s) => consistencyProofFrom(m, size, s)).length).toBeLessThanOrEqual(4 * 3);
      }),
      { numRuns: 12 },
    );
  });

  it('names the tile it lacks', () => {
    const tiles = tilesOf(leaves(600)).filter((t) => !(t.level === 0 && t.index === 1));
    expect(() => inclusionProofFrom(300, 600, tileSource(store(tiles)))).toThrow(/tile tile\/0\/001(\.p\/\d+)? is missing/);
  });
});
