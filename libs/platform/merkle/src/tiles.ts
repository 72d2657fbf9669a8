import { Buffer } from 'node:buffer';
import { HASH_SIZE, type SubtreeHashes, nodeHash } from './rfc6962';

/**
 * The C2SP tlog-tiles layout of an RFC 6962 tree: a tile of level L holds up to 256 consecutive roots of perfect
 * subtrees of 256^L leaves (level 0: the leaf hashes). A tile with all 256 is full and never changes; the
 * rightmost tile of a level is partial (width 1 to 255) and grows until it is full.
 */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 2 ** TILE_HEIGHT;

export interface TileId {
  readonly level: number;
  readonly index: number;
  /** 1 to 256; 256 is a full tile. */
  readonly width: number;
}

export interface Tile {
  readonly level: number;
  readonly index: number;
  /** The tile's hashes, concatenated (32 bytes each). */
  readonly hashes: Buffer;
}

/** A tile a computation needs is not stored, or is narrower than needed. */
export class TileMissingError extends Error {
  override readonly name = 'TileMissingError';
  constructor(readonly tile: TileId) {
    super(`tile ${tilePath(tile)} is missing`);
  }
}

/** `tile/<L>/<N>[.p/<W>]`, N in groups of three digits, each group but the last prefixed with `x`. */
export function tilePath({ level, index, width }: TileId): string {
  const digits = String(index).padStart(3, '0');
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end).padStart(3, '0'));
  const n = groups.map((group, i) => (i < groups.length - 1 ? `x${group}` : group)).join('/');
  return `tile/${level}/${n}${width === TILE_WIDTH ? '' : `.p/${width}`}`;
}

const TILE_PATH = /^tile\/(0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;

/** The tile a tlog-tiles path names, or undefined for anything that is not exactly such a path. */
export function parseTilePath(path: string): TileId | undefined {
  const match = TILE_PATH.exec(path);
  if (!match) return undefined;
  const groups = match[2]!.split('/');
  if (groups.length > 1 && groups[0] === 'x000') return undefined;
  const index = Number(groups.map((g) => g.replace('x', '')).join(''));
  const width = match[3] === undefined ? TILE_WIDTH : Number(match[3]);
  if (!Number.isSafeInteger(index) || (match[3] !== undefined && width >= TILE_WIDTH)) return undefined;
  return { level: Number(match[1]), index, width };
}

/** The tiles of a tree of `size` leaves at their current widths, lowest level first. */
export function treeTiles(size: number): TileId[] {
  const tiles: TileId[] = [];
  for (let level = 0, count = size; count > 0; level += 1, count = Math.floor(count / TILE_WIDTH)) {
    for (let index = 0; index < Math.ceil(count / TILE_WIDTH); index += 1) tiles.push({ level, index, width: Math.min(TILE_WIDTH, count - index * TILE_WIDTH) });
  }
  return tiles;
}

/** The partial tile of each level of a tree of `size` leaves: what appending to it rewrites. */
export function rightEdge(size: number): TileId[] {
  const edge: TileId[] = [];
  for (let level = 0, count = size; count > 0; level += 1, count = Math.floor(count / TILE_WIDTH)) {
    if (count % TILE_WIDTH > 0) edge.push({ level, index: Math.floor(count / TILE_WIDTH), width: count % TILE_WIDTH });
  }
  return edge;
}

/**
 * The tiles that change when `leafHashes` are appended to a tree of `size` leaves, at their new widths.
 * `edge(level)` gives the hashes of that level's partial tile (`rightEdge(size)`), or an empty buffer.
 */
export function appendToTiles(size: number, edge: (level: number) => Buffer, leafHashes: readonly Uint8Array[]): Tile[] {
  const changed: Tile[] = [];
  let incoming: Buffer[] = leafHashes.map((hash) => Buffer.from(hash));
  for (let level = 0, count = size; incoming.length > 0; level += 1, count = Math.floor(count / TILE_WIDTH)) {
    const have = count % TILE_WIDTH;
    const existing = have > 0 ? edge(level) : Buffer.alloc(0);
    if (existing.length !== have * HASH_SIZE) throw new TileMissingError({ level, index: Math.floor(count / TILE_WIDTH), width: have });
    const completed: Buffer[] = [];
    let taken = 0;
    for (let index = Math.floor(count / TILE_WIDTH), first = true; taken < incoming.length; index += 1, first = false) {
      const start = first ? have : 0;
      const part = incoming.slice(taken, taken + TILE_WIDTH - start);
      taken += part.length;
      const hashes = Buffer.concat([first ? existing : Buffer.alloc(0), ...part]);
      changed.push({ level, index, hashes });
      if (hashes.length === TILE_WIDTH * HASH_SIZE) completed.push(foldTile(hashes, 0, TILE_WIDTH));
    }
    incoming = completed;
  }
  return changed;
}

/** The tiles of the tree over `leafHashes`. */
export function tilesOf(leafHashes: readonly Uint8Array[]): Tile[] {
  return appendToTiles(0, () => Buffer.alloc(0), leafHashes);
}

/**
 * Subtree roots computed from tiles: a subtree of height 8L + r is 2^r consecutive hashes of one level-L tile,
 * folded (at most 127 node hashes). `read` returns a tile's stored hashes, or undefined.
 */
export function tileSource(read: (level: number, index: number) => Buffer | undefined): SubtreeHashes {
  return (height, index) => {
    const { level, tile, offset, count } = locate(height, index);
    const hashes = read(level, tile);
    if (!hashes || hashes.length < (offset + count) * HASH_SIZE) throw new TileMissingError({ level, index: tile, width: offset + count });
    return foldTile(hashes, offset, count);
  };
}

/** The tiles (with the least width each) that `compute` reads when given a tile source. */
export function tilesRead(compute: (source: SubtreeHashes) => unknown): TileId[] {
  const widest = new Map<string, TileId>();
  const placeholder = Buffer.alloc(HASH_SIZE);
  compute((height, index) => {
    const { level, tile, offset, count } = locate(height, index);
    const key = `${level}/${tile}`;
    widest.set(key, { level, index: tile, width: Math.max(widest.get(key)?.width ?? 0, offset + count) });
    return placeholder;
  });
  return [...widest.values()];
}

function locate(height: number, index: number): { level: number; tile: number; offset: number; count: number } {
  const level = Math.floor(height / TILE_HEIGHT);
  const count = 2 ** (height % TILE_HEIGHT);
  const first = index * count;
  const tile = Math.floor(first / TILE_WIDTH);
  return { level, tile, offset: first - tile * TILE_WIDTH, count };
}

/** The root of `count` (a power of two) hashes of a tile from position `offset`. */
function foldTile(hashes: Buffer, offset: number, count: number): Buffer {
  let level: Buffer[] = [];
  for (let i = 0; i < count; i += 1) level.push(hashes.subarray((offset + i) * HASH_SIZE, (offset + i + 1) * HASH_SIZE));
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(nodeHash(level[i]!, level[i + 1]!));
    level = next;
  }
  return Buffer.from(level[0]!);
}
