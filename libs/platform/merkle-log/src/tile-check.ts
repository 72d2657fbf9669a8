import { HASH_SIZE, TILE_WIDTH, type Tile, type TileId, appendToTiles, tilePath } from '@doorbraak/merkle';

export interface TileProblem {
  /** The first log index under the first hash that differs. */
  readonly index: number;
  readonly problem: string;
}

/**
 * Rebuilds the tiles from leaf hashes recomputed page by page and compares them with the stored ones: each full
 * tile as soon as it is complete, the partial tiles at the end. Holds one partial tile per level.
 */
export class StoredTilesCheck {
  private size = 0;
  private readonly edge = new Map<number, Buffer>();

  constructor(private readonly read: (tiles: readonly Pick<TileId, 'level' | 'index'>[]) => Promise<Map<string, Buffer>>) {}

  async add(leafHashes: readonly Buffer[]): Promise<TileProblem | undefined> {
    const changed = appendToTiles(this.size, (level) => this.edge.get(level) ?? Buffer.alloc(0), leafHashes);
    this.size += leafHashes.length;
    for (const tile of changed) {
      if (tile.hashes.length < TILE_WIDTH * HASH_SIZE) this.edge.set(tile.level, tile.hashes);
      else this.edge.delete(tile.level);
    }
    return this.compare(changed.filter((t) => t.hashes.length === TILE_WIDTH * HASH_SIZE));
  }

  finish(): Promise<TileProblem | undefined> {
    return this.compare([...this.edge].map(([level, hashes]) => ({ level, index: Math.floor(this.size / TILE_WIDTH ** (level + 1)), hashes })));
  }

  private async compare(rebuilt: readonly Tile[]): Promise<TileProblem | undefined> {
    const stored = await this.read(rebuilt);
    const problems = rebuilt.flatMap((tile) => {
      const found = stored.get(`${tile.level}/${tile.index}`) ?? Buffer.alloc(0);
      const width = tile.hashes.length / HASH_SIZE;
      let at = 0;
      while (at < width && found.length >= (at + 1) * HASH_SIZE && tile.hashes.compare(found, at * HASH_SIZE, (at + 1) * HASH_SIZE, at * HASH_SIZE, (at + 1) * HASH_SIZE) === 0) at += 1;
      if (at === width) return [];
      const span = TILE_WIDTH ** tile.level;
      const first = (tile.index * TILE_WIDTH + at) * span;
      const path = tilePath({ level: tile.level, index: tile.index, width });
      const what = found.length <= at * HASH_SIZE ? `lacks hash ${at}` : `differs at hash ${at}`;
      return [{ index: first, problem: `stored tile ${path} ${what} from the tile rebuilt from the events (log index ${first} to ${first + span - 1}): the stored tree was rewritten` }];
    });
    return problems.sort((a, b) => a.index - b.index)[0];
  }
}
