import { type EventStore, type LogPosition, type ReadAllResult, type RecordedEvent, START, catchUp, parseLogPosition, readAllEvents } from '@doorbraak/event-store';
import {
  HASH_SIZE,
  MerkleFrontier,
  type NoteSigner,
  type SubtreeHashes,
  TILE_WIDTH,
  type Tile,
  type TileId,
  TileMissingError,
  appendToTiles,
  consistencyProofFrom,
  inclusionProofFrom,
  leafHash,
  parseCheckpoint,
  rightEdge,
  rootFrom,
  signCheckpoint,
  tileSource,
  tilesRead,
  verifyConsistency,
} from '@doorbraak/merkle';
import { type SqlClient, type SqlExecutor, migrate } from '@doorbraak/sql';
import { randomBytes } from 'node:crypto';
import { hasPersonal, leafBytes, leafJson, personalCommitment } from './leaf';
import { checkpointsWithoutSignedAt, logCosignaturesSchema, merkleLogSchema, merkleTilesSchema } from './merkle-log.migration';
import { StoredColumns, type StoredLogState } from './stored-columns';
import { StoredTilesCheck } from './tile-check';

/** The statements the integrator, proofs and verify run all the time are prepared once per connection. */
const PREPARED = { prepare: true } as const;

export interface MerkleLogOptions {
  readonly store: EventStore;
  readonly client: SqlClient;
  readonly schema?: string;
  /** Checkpoint origin line, e.g. `ledger.gm0363.nl/doorbraak`. */
  readonly origin: string;
  readonly signer?: NoteSigner;
  /** The verifier key of `signer`, to check checkpoints read back. */
  readonly vkey?: string;
  /** Events per page the integrator takes in and `verify` checks. */
  readonly batchSize?: number;
}

export interface LogStatus {
  readonly size: number;
  readonly root: string;
  readonly position: LogPosition;
  readonly latestCheckpoint: string | null;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly size: number;
  readonly checkpointSize: number | null;
  /** Events in the store after the log's position: not integrated yet, so not checked (only when ok). */
  readonly pending?: number;
  /** The first log index at which the database disagrees with itself or with the signed checkpoint. */
  readonly firstBadIndex?: number;
  readonly eventId?: string;
  readonly problem?: string;
}

/** A new checkpoint would not extend the previous one: the log was rewritten. Nothing was signed. */
export class InconsistentCheckpointError extends Error {}

interface EntryRow {
  idx: string;
  event_id: string;
  leaf_hash: Buffer | Uint8Array;
  personal_commitment: string | null;
}

/**
 * The integrator and the verifier of the Merkle log. The integrator follows the global log (the same
 * late-commit-safe order as every consumer), gives each event the next log index, and stores its leaf hash and
 * the tree's right edge in one transaction with its position. Checkpoints are signed only after checking that
 * they extend the previous one.
 */
export class MerkleLog {
  private readonly s: string;
  private readonly controller = new AbortController();
  private running: Promise<void> | undefined;
  private readonly signed: (() => void)[] = [];

  constructor(private readonly options: MerkleLogOptions) {
    this.s = options.schema ?? 'ledger';
  }

  migrate(): Promise<string[]> {
    return migrate(this.options.client, this.s, [merkleLogSchema, merkleTilesSchema, checkpointsWithoutSignedAt, logCosignaturesSchema]);
  }

  /** Calls `listener` after each newly signed checkpoint is stored (the witnesses are asked to cosign it). */
  onCheckpoint(listener: () => void): void {
    this.signed.push(listener);
  }

  private get pageSize(): number {
    return this.options.batchSize ?? 2_000;
  }

  /** Integrates in the background until `stop`. */
  start(onError?: (error: unknown) => void): void {
    this.running ??= this.follow(this.controller.signal, false, onError);
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.running;
  }

  /** Integrates everything visible now, in the foreground. */
  integrateAll(): Promise<void> {
    return this.follow(new AbortController().signal, true);
  }

  private async follow(signal: AbortSignal, once: boolean, onError?: (error: unknown) => void): Promise<void> {
    const local = new AbortController();
    const stop = () => local.abort();
    signal.addEventListener('abort', stop);
    let failure: unknown;
    try {
      await catchUp({
        store: this.options.store,
        from: (await this.state(this.options.client)).position,
        batchSize: this.pageSize,
        signal: local.signal,
        handle: (page) => this.integrate(page),
        onCaughtUp: async () => {
          if (once) local.abort();
        },
        onError: (error) => {
          if (once) {
            failure = error;
            local.abort();
          } else onError?.(error);
        },
      });
    } finally {
      signal.removeEventListener('abort', stop);
    }
    if (failure !== undefined) throw failure;
  }

  private async state(on: SqlExecutor, forUpdate = false): Promise<{ size: number; position: LogPosition; frontier: MerkleFrontier }> {
    const { rows } = await on.query<{ size: string; position: LogPosition; frontier: (Buffer | Uint8Array)[] }>(
      `SELECT size::text, position, frontier FROM ${this.s}.log_state${forUpdate ? ' FOR UPDATE' : ''}`,
      [],
      PREPARED,
    );
    const row = rows[0]!;
    return { size: Number(row.size), position: row.position, frontier: MerkleFrontier.restore(Number(row.size), row.frontier.map((h) => Buffer.from(h))) };
  }

  private async integrate(page: ReadAllResult): Promise<void> {
    await this.options.client.transaction(async (tx) => {
      // Integrators (the API's, a separate process's, `ledger verify`'s) take turns on the state row. One that
      // lost a race takes only the events of its page after the position the other left.
      const { size, position, frontier } = await this.state(tx, true);
      if (position >= page.scannedTo) return;
      const events = page.events.filter((e) => e.logPosition > position);
      // One draw of randomness per page rather than per event.
      const randomness = randomBytes(32 * events.length);
      const entries = events.map((event, i) => {
        const salt = hasPersonal(event) ? randomness.subarray(32 * i, 32 * (i + 1)) : null;
        const commitment = salt ? personalCommitment((event.data as { personal: unknown }).personal, salt) : null;
        const hash = leafHash(leafJson(event, size + i, commitment));
        frontier.append(hash);
        return { index: size + i, event, salt, commitment, hash };
      });
      if (entries.length > 0) {
        await tx.query(
          `INSERT INTO ${this.s}.log_entries (log_index, event_id, leaf_hash, personal_commitment)
           SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::bytea[], $4::text[])`,
          [entries.map((e) => e.index), entries.map((e) => e.event.eventId), entries.map((e) => e.hash), entries.map((e) => e.commitment)],
          PREPARED,
        );
        const salted = entries.filter((e) => e.salt);
        if (salted.length > 0) {
          await tx.query(`INSERT INTO ${this.s}.personal_salts (event_id, salt) SELECT * FROM unnest($1::uuid[], $2::bytea[])`, [salted.map((e) => e.event.eventId), salted.map((e) => e.salt)], PREPARED);
        }
        const edge = await this.readTiles(tx, rightEdge(size));
        await this.writeTiles(tx, appendToTiles(size, (level) => edge.get(`${level}/${Math.floor(size / TILE_WIDTH ** (level + 1))}`) ?? Buffer.alloc(0), entries.map((e) => e.hash)));
      }
      const moved = await tx.query(
        `UPDATE ${this.s}.log_state SET size = $1, position = $2, frontier = $3::bytea[] WHERE position = $4`,
        [size + entries.length, page.scannedTo, frontier.hashes, position],
        PREPARED,
      );
      if (moved.rowCount !== 1) throw new Error('another integrator moved the log; this page is rolled back');
    });
  }

  /** The log index of each of these events that the log has taken in. */
  async indices(eventIds: readonly string[]): Promise<Map<string, number>> {
    const { rows } = await this.options.client.query<{ event_id: string; idx: string }>(`SELECT event_id::text, log_index::text AS idx FROM ${this.s}.log_entries WHERE event_id = ANY($1::uuid[])`, [eventIds]);
    return new Map(rows.map((r) => [r.event_id, Number(r.idx)]));
  }

  /**
   * Deletes the salts of these events' personal commitments (erasure): the commitments in the leaves stay, and so
   * does every proof, but they can no longer confirm a guess of the erased data.
   * @returns how many salts were deleted.
   */
  async forgetSalts(eventIds: readonly string[]): Promise<number> {
    const { rowCount } = await this.options.client.query(`DELETE FROM ${this.s}.personal_salts WHERE event_id = ANY($1::uuid[])`, [eventIds]);
    return rowCount;
  }

  /** Resolves once the integrator has taken in everything up to `position` (polls its committed state). */
  async waitFor(position: LogPosition, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.state(this.options.client)).position < position) {
      if (Date.now() > deadline) throw new Error(`the log did not reach ${position} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async status(): Promise<LogStatus> {
    const { size, position, frontier } = await this.state(this.options.client);
    return { size, position, root: frontier.root().toString('base64'), latestCheckpoint: (await this.latestCheckpoint())?.note ?? null };
  }

  async latestCheckpoint(): Promise<{ size: number; note: string } | undefined> {
    const { rows } = await this.options.client.query<{ size: string; note: string }>(`SELECT size::text, note FROM ${this.s}.log_checkpoints ORDER BY size DESC LIMIT 1`);
    return rows[0] && { size: Number(rows[0].size), note: rows[0].note };
  }

  /** The stored hashes of these tiles, by `level/index` (as wide as stored, which may be wider than asked). */
  private async readTiles(on: SqlExecutor, tiles: readonly Pick<TileId, 'level' | 'index'>[]): Promise<Map<string, Buffer>> {
    if (tiles.length === 0) return new Map();
    const { rows } = await on.query<{ level: number; tile_index: string; hashes: Buffer | Uint8Array }>(
      `SELECT t.level, t.tile_index::text, t.hashes FROM ${this.s}.log_tiles t JOIN unnest($1::smallint[], $2::bigint[]) AS w(level, tile_index) USING (level, tile_index)`,
      [tiles.map((t) => t.level), tiles.map((t) => t.index)],
      PREPARED,
    );
    return new Map(rows.map((r) => [`${r.level}/${r.tile_index}`, Buffer.from(r.hashes)]));
  }

  private async writeTiles(on: SqlExecutor, tiles: readonly Tile[]): Promise<void> {
    await on.query(
      `INSERT INTO ${this.s}.log_tiles (level, tile_index, hashes) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])
       ON CONFLICT (level, tile_index) DO UPDATE SET hashes = EXCLUDED.hashes`,
      [tiles.map((t) => t.level), tiles.map((t) => t.index), tiles.map((t) => t.hashes)],
      PREPARED,
    );
  }

  /**
   * Computes from the stored tiles: one query for the few tiles `compute` needs (O(log n)), then the hashing.
   * A missing tile is reported as such, so a damaged store is named rather than answered wrongly.
   */
  private async fromTiles<T>(compute: (source: SubtreeHashes) => T): Promise<T> {
    const stored = await this.readTiles(this.options.client, tilesRead(compute));
    return compute(tileSource((level, index) => stored.get(`${level}/${index}`)));
  }

  /**
   * A tlog-tiles tile of the tree as integrated now: `width` hashes of the tile at `level` and `index`, or
   * undefined when the tree does not (yet) have that many there.
   */
  async tile({ level, index, width }: TileId): Promise<Buffer | undefined> {
    const stored = (await this.readTiles(this.options.client, [{ level, index }])).get(`${level}/${index}`);
    return stored && stored.length >= width * HASH_SIZE ? stored.subarray(0, width * HASH_SIZE) : undefined;
  }

  /**
   * Signs a checkpoint of the log as integrated now, after checking it extends the previous checkpoint (a
   * consistency proof from the stored leaves, verified against the previous signed root).
   */
  async checkpoint(reason: string): Promise<string> {
    const signer = this.options.signer;
    if (!signer) throw new Error('no checkpoint signing key is configured (LEDGER_CHECKPOINT_KEY)');
    const { size, frontier } = await this.state(this.options.client);
    const previous = await this.latestCheckpoint();
    const prev = previous && parseCheckpoint(previous.note);
    const refuse = (why: string) => new InconsistentCheckpointError(`refusing to sign: the log does not extend the checkpoint of size ${prev?.size ?? 0} (${why})`);
    if (prev && prev.size > size) throw refuse(`the log has ${size} entries, fewer than the ${prev.size} already signed`);
    // The root and the proof come from the tiles that proofs are served from, checked against the right edge
    // the integrator kept: a tile rewritten since cannot be signed over.
    const { root, proof } = await this.fromTiles((source) => ({ root: rootFrom(size, source), proof: prev && prev.size > 0 && prev.size < size ? consistencyProofFrom(prev.size, size, source) : [] })).catch((error: unknown) => {
      throw error instanceof TileMissingError ? refuse(error.message) : error;
    });
    if (!root.equals(frontier.root())) throw refuse('the stored tiles do not hash to the root of the integrated log');
    if (prev && prev.size > 0) {
      const check = verifyConsistency(prev.size, size, proof, prev.root, root);
      if (!check.ok) throw refuse(check.reason);
    }
    if (previous && prev!.size === size) return previous.note;
    const note = signCheckpoint({ origin: this.options.origin, size, root }, signer);
    await this.options.client.query(`INSERT INTO ${this.s}.log_checkpoints (size, root, note, reason) VALUES ($1, $2, $3, $4) ON CONFLICT (size) DO NOTHING`, [size, root, note, reason]);
    for (const listener of this.signed) listener();
    return note;
  }

  /**
   * The bundle an auditor verifies on their own: the period's checkpoint (signed now with `period` as reason
   * when none exists yet), every leaf up to it as canonical JSON lines, and, when there is an earlier
   * checkpoint, that checkpoint with the consistency proof from it.
   */
  async auditBundle(period: string): Promise<{ checkpoint: string; previousCheckpoint?: string; consistencyProof?: { size1: number; size2: number; proof: string[] }; entries: Buffer[] }> {
    const reason = `period ${period}`;
    const { rows } = await this.options.client.query<{ size: string; note: string }>(`SELECT size::text, note FROM ${this.s}.log_checkpoints WHERE reason = $1 ORDER BY size DESC LIMIT 1`, [reason]);
    const note = rows[0]?.note ?? (await this.checkpoint(reason));
    const size = parseCheckpoint(note).size;
    const { rows: before } = await this.options.client.query<{ size: string; note: string }>(`SELECT size::text, note FROM ${this.s}.log_checkpoints WHERE size < $1 AND size > 0 ORDER BY size DESC LIMIT 1`, [size]);
    const previous = before[0];
    const entries = await this.leaves(size);
    // A damaged log may no longer yield the proof; the bundle then goes out without it and the auditor's
    // verifier reports what is wrong instead of the export failing.
    const proof = previous ? await this.consistencyProof(Number(previous.size), size).catch(() => undefined) : undefined;
    return {
      checkpoint: note,
      entries,
      ...(previous ? { previousCheckpoint: previous.note } : {}),
      ...(previous && proof ? { consistencyProof: { size1: Number(previous.size), size2: size, proof } } : {}),
    };
  }

  /**
   * The canonical bytes of the first `size` leaves as the event store stands now: events in global read order,
   * numbered by that order, with the commitments stored for them. Whatever changed since signing (an edited,
   * deleted, reordered or inserted event) makes these leaves disagree with the signed root.
   */
  private async leaves(size: number): Promise<Buffer[]> {
    const { rows } = await this.options.client.query<{ event_id: string; personal_commitment: string | null }>(`SELECT event_id::text, personal_commitment FROM ${this.s}.log_entries`);
    const commitments = new Map(rows.map((r) => [r.event_id, r.personal_commitment]));
    const events = await readAllEvents(this.options.store, { max: size });
    return events.map((event, i) => leafBytes(event, i, commitments.get(event.eventId) ?? null));
  }

  /** The inclusion proof of an event in the tree of `treeSize` (default: the latest checkpoint). */
  async inclusionProof(eventId: string, treeSize?: number): Promise<{ logIndex: number; treeSize: number; leafHash: string; proof: string[]; checkpoint: string | null }> {
    // The entry and the latest checkpoint in one round trip, the tiles in a second.
    const { rows } = await this.options.client.query<{ idx: string | null; size: string | null; note: string | null }>(
      `SELECT (SELECT log_index::text FROM ${this.s}.log_entries WHERE event_id = $1) AS idx, c.size::text, c.note
       FROM (SELECT 1) one LEFT JOIN (SELECT size, note FROM ${this.s}.log_checkpoints ORDER BY size DESC LIMIT 1) c ON true`,
      [eventId],
      PREPARED,
    );
    const { idx, size: signed, note } = rows[0]!;
    if (idx === null) throw new Error(`event ${eventId} is not in the log yet`);
    const latest = signed === null || note === null ? undefined : { size: Number(signed), note };
    const size = treeSize ?? latest?.size ?? (await this.state(this.options.client)).size;
    const index = Number(idx);
    if (index >= size) throw new Error(`event ${eventId} (index ${index}) is not in a tree of size ${size} yet`);
    const { leaf, proof } = await this.fromTiles((source) => ({ leaf: source(0, index), proof: inclusionProofFrom(index, size, source) }));
    return {
      logIndex: index,
      treeSize: size,
      leafHash: leaf.toString('base64'),
      proof: proof.map((h) => h.toString('base64')),
      checkpoint: latest && latest.size === size ? latest.note : null,
    };
  }

  async consistencyProof(size1: number, size2: number): Promise<string[]> {
    const { size } = await this.state(this.options.client);
    if (size1 < 1 || size1 > size2 || size2 > size) throw new Error(`no consistency proof from ${size1} to ${size2} in a log of ${size}`);
    return (await this.fromTiles((source) => consistencyProofFrom(size1, size2, source))).map((h) => h.toString('base64'));
  }

  /**
   * Recomputes every leaf from the events as stored now and checks them against the log entries, the global
   * order, the personal-data commitments (where the salt still exists), every signed checkpoint and the stored
   * columns a read depends on (stored-columns.ts). Reports the first bad log index and its event. Read-only:
   * events the integrator has not taken in yet are counted as `pending`, not integrated.
   */
  async verify(): Promise<VerifyReport> {
    const client = this.options.client;
    // The state before counting may lag behind the entries and the state after may be ahead of them, but a
    // running integrator moves entries and state in one transaction: what lies outside both was not its doing.
    // Checkpoints first: each one signed later than this read covers entries that may not be counted yet.
    const { rows: checkpoints } = await client.query<{ size: string; root: Uint8Array; note: string }>(`SELECT size::text, root, note FROM ${this.s}.log_checkpoints`);
    const before = await this.storedState();
    const { rows: counted } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${this.s}.log_entries`);
    const size = Number(counted[0]!.n);
    const after = await this.storedState();
    const columns = new StoredColumns(before, after, checkpoints.map((r) => ({ ...r, size: Number(r.size) })), this.options.vkey);
    const bad = (index: number | undefined, eventId: string | undefined, problem: string): VerifyReport => ({
      ok: false,
      size,
      checkpointSize: columns.checkpointSize,
      ...(index === undefined ? {} : { firstBadIndex: index }),
      ...(eventId ? { eventId } : {}),
      problem,
    });
    if (columns.problem) return bad(columns.problem.index, undefined, columns.problem.problem);
    // Entries and events are read page by page, the next page while this one is checked, so memory stays flat.
    const events = this.eventsInLogOrder();
    const tiles = new StoredTilesCheck((ids) => this.readTiles(this.options.client, ids));
    let recomputed: Buffer[] = [];
    const checkTiles = async () => {
      const problem = await tiles.add(recomputed);
      recomputed = [];
      return problem && bad(problem.index, undefined, problem.problem);
    };
    let i = 0;
    for await (const { entry, salt } of this.entriesWithSalts(size)) {
      if (Number(entry.idx) !== i) {
        const standing = (await events.next()).value;
        return bad(i, standing?.eventId ?? entry.event_id, `log index ${i} is missing (the next entry has index ${entry.idx})${standing ? `; event ${standing.eventId} stands there in the store` : ''}`);
      }
      const stray = columns.stray(i);
      if (stray) return bad(i, entry.event_id, stray);
      const event = (await events.next()).value;
      if (!event) return bad(i, entry.event_id, `event ${entry.event_id} of log index ${i} is missing from the event store`);
      if (event.eventId !== entry.event_id) {
        const elsewhere = (await readAllEvents(this.options.store)).some((e) => e.eventId === entry.event_id);
        return bad(i, event.eventId, elsewhere ? `event ${event.eventId} stands at log index ${i}, where the log has ${entry.event_id} (reordered or inserted)` : `event ${entry.event_id} of log index ${i} is missing; ${event.eventId} stands in its place`);
      }
      if (salt && hasPersonal(event) && personalCommitment((event.data as { personal: unknown }).personal, salt) !== entry.personal_commitment) {
        return bad(i, event.eventId, 'the personal part does not match its commitment (changed after it was logged)');
      }
      const hash = leafHash(leafJson(event, i, entry.personal_commitment));
      if (!hash.equals(entry.leaf_hash)) return bad(i, event.eventId, 'the event no longer matches its leaf (changed after it was logged)');
      const problem = columns.entry(i, event, hash);
      if (problem) return bad(problem.index, problem.eventId, problem.problem);
      recomputed.push(hash);
      i++;
      if (recomputed.length === this.pageSize) {
        const wrong = await checkTiles();
        if (wrong) return wrong;
      }
    }
    const wrong = (await checkTiles()) ?? (await tiles.finish().then((problem) => problem && bad(problem.index, undefined, problem.problem)));
    if (wrong) return wrong;
    const beyond = (await events.next()).value;
    // The state read before counting: an integrator may have taken in this event since the count.
    if (beyond && before.position >= beyond.logPosition) {
      return bad(size, beyond.eventId, `event ${beyond.eventId} is in the store before the log's position but not in the log (inserted)`);
    }
    const end = columns.end(size, await this.options.store.head());
    if (end) return bad(end.index, end.eventId, end.problem);
    const { rows: stray } = await client.query<{ event_id: string; idx: string | null }>(
      `SELECT s.event_id::text, e.log_index::text AS idx FROM ${this.s}.personal_salts s LEFT JOIN ${this.s}.log_entries e ON e.event_id = s.event_id
       WHERE e.personal_commitment IS NULL ORDER BY e.log_index LIMIT 1`,
    );
    if (stray[0]) {
      const { event_id: id, idx } = stray[0];
      return bad(idx === null ? undefined : Number(idx), id, `a salt is stored for event ${id}, which has no personal commitment in the log (moved or forged)`);
    }
    const pending = await this.options.store.countAfter(parseLogPosition(after.position));
    return { ok: true, size, checkpointSize: columns.checkpointSize, pending };
  }

  /** The integrator's state row as stored, for `verify`. */
  private async storedState(): Promise<StoredLogState> {
    const { rows } = await this.options.client.query<{ size: string; position: string; frontier: Uint8Array[] }>(`SELECT size::text, position, frontier FROM ${this.s}.log_state`);
    const row = rows[0];
    return row ? { size: Number(row.size), position: row.position, frontier: row.frontier } : { size: 0, position: '', frontier: [] };
  }

  /** The first `size` log entries in index order, each with the salt of its personal commitment when one is kept. */
  private async *entriesWithSalts(size: number): AsyncGenerator<{ entry: EntryRow; salt: Buffer | undefined }> {
    yield* prefetched(0, async (from: number) => {
      const { rows } = await this.options.client.query<EntryRow>(
        `SELECT log_index::text AS idx, event_id::text, leaf_hash, personal_commitment FROM ${this.s}.log_entries
         WHERE log_index >= $1 ORDER BY log_index LIMIT $2`,
        [from, Math.min(this.pageSize, size - from)],
        PREPARED,
      );
      const salted = rows.filter((r) => r.personal_commitment !== null).map((r) => r.event_id);
      const { rows: saltRows } = salted.length
        ? await this.options.client.query<{ event_id: string; salt: Uint8Array }>(`SELECT event_id::text, salt FROM ${this.s}.personal_salts WHERE event_id = ANY($1::uuid[])`, [salted], PREPARED)
        : { rows: [] };
      const salts = new Map(saltRows.map((r) => [r.event_id, Buffer.from(r.salt)]));
      const last = rows.at(-1);
      const read = from + rows.length;
      return { items: rows.map((entry) => ({ entry, salt: salts.get(entry.event_id) })), next: last && read < size ? Number(last.idx) + 1 : undefined };
    });
  }

  /** Every event in global read order, as stored now. */
  private async *eventsInLogOrder(): AsyncGenerator<RecordedEvent> {
    yield* prefetched(START, async (after: LogPosition) => {
      const page = await this.options.store.readAll({ after, limit: this.pageSize });
      return { items: page.events, next: page.events.length === 0 || page.scannedTo === after ? undefined : page.scannedTo };
    });
  }
}

/** The items of a paged read one by one; the next page is requested as soon as the current one arrives. */
async function* prefetched<T, Cursor>(first: Cursor, read: (cursor: Cursor) => Promise<{ items: readonly T[]; next: Cursor | undefined }>): AsyncGenerator<T> {
  let pending = read(first);
  for (;;) {
    const { items, next } = await pending;
    if (next !== undefined) {
      pending = read(next);
      // Checked when it is awaited; a consumer that stops early must not leave an unhandled rejection behind.
      pending.catch(() => undefined);
    }
    yield* items;
    if (next === undefined) return;
  }
}
