import { type LogPosition, type RecordedEvent, isLogPosition } from '@doorbraak/event-store';
import { MerkleFrontier, type ParsedCheckpoint, parseCheckpoint, verifyCheckpoint } from '@doorbraak/merkle';

/**
 * The stored columns outside the leaves that reads or the integrator depend on, checked against what the leaves
 * cover (ADR 0008, "What `verify` covers"). A pure fold: `verify` feeds it the log entries in index order and
 * asks it at the end; it reads nothing itself.
 */

/** The integrator's state row as stored (not restored: a damaged frontier must be reported, not thrown). */
export interface StoredLogState {
  readonly size: number;
  readonly position: string;
  readonly frontier: readonly Uint8Array[];
}

/** A row of `log_checkpoints`: the size and root columns that queries select by, and the signed note. */
export interface StoredCheckpoint {
  readonly size: number;
  readonly root: Uint8Array;
  readonly note: string;
}

export interface ColumnProblem {
  readonly index?: number;
  readonly eventId?: string;
  readonly problem: string;
}

export class StoredColumns {
  private readonly tree = MerkleFrontier.empty();
  /** The checkpoints whose row and note agree, by size. */
  private readonly signed = new Map<number, ParsedCheckpoint>();
  private readonly latest: ParsedCheckpoint | undefined;
  /** The first checkpoint row whose columns or note are wrong, reported before any entry is looked at. */
  readonly problem: ColumnProblem | undefined;
  /** The size of the latest checkpoint whose row and note agree. */
  readonly checkpointSize: number | null;

  /**
   * @param before the state read before the entries were counted: it may lag behind them, never run ahead.
   * @param after the state read after counting: every stored entry should be within it.
   */
  constructor(
    private readonly before: StoredLogState,
    private readonly after: StoredLogState,
    checkpoints: readonly StoredCheckpoint[],
    vkey: string | undefined,
  ) {
    const position = [before, after].find((state) => !isLogPosition(state.position))?.position;
    if (position !== undefined) this.problem = { index: after.size, problem: `the log's position ${JSON.stringify(position)} is not a log position (the state was rewritten)` };
    for (const row of [...checkpoints].sort((a, b) => a.size - b.size)) {
      const note = checkpointNote(row, vkey);
      if (typeof note === 'string') {
        this.problem ??= { index: row.size, problem: note };
      } else {
        this.signed.set(note.size, note);
        this.latest = note;
      }
    }
    this.checkpointSize = this.latest?.size ?? null;
  }

  /** Before entry `index` is compared with its event: an entry the integrator's state does not count is stray. */
  stray(index: number): string | undefined {
    if (index < this.after.size) return undefined;
    return `log index ${index} is beyond the log's state (${this.after.size} entries): the integrator did not write it (a forged or conflicting entry, or a changed state)`;
  }

  /** After entry `index` matched its event and leaf: the event's read position and the roots up to here. */
  entry(index: number, event: RecordedEvent, hash: Buffer): ColumnProblem | undefined {
    const here = (problem: string): ColumnProblem => ({ index, eventId: event.eventId, problem });
    // The read order (tx_id) is the one thing a read uses that the leaf does not cover; the order itself is the
    // log index, so an integrated event can only stand at or before the position the integrator reached.
    if (event.logPosition > this.after.position) {
      return here(`the event is logged but reads at ${event.logPosition}, after the log's position ${this.after.position} (its read order was changed)`);
    }
    this.tree.append(hash);
    if (this.tree.size === this.before.size && !sameHashes(this.tree.hashes, this.before.frontier)) {
      return here(`the log state's frontier at size ${this.before.size} is not the one of the entries (the state was rewritten)`);
    }
    const checkpoint = this.signed.get(this.tree.size);
    // Every leaf matched its event, so the root alone cannot say which entry was rewritten.
    if (checkpoint && !this.tree.root().equals(checkpoint.root)) {
      return { problem: `the recomputed root differs from the signed checkpoint of size ${checkpoint.size} (the log entries were rewritten)` };
    }
    return undefined;
  }

  /** After the last of `entries` entries: what was signed or counted but is not there. `head` is the store's. */
  end(entries: number, head: LogPosition): ColumnProblem | undefined {
    const latest = this.latest;
    if (latest && entries < latest.size) return { index: entries, problem: `the log has ${entries} entries but the checkpoint signed ${latest.size} (truncated)` };
    if (entries < this.before.size) return { index: entries, problem: `the log's state counts ${this.before.size} entries but ${entries} are stored (entries were deleted)` };
    if (this.before.size === 0 && this.before.frontier.length > 0) return { index: 0, problem: 'the log state of the empty log has a frontier (the state was rewritten)' };
    // Past the head, the integrator would skip the events appended next.
    if (this.after.position > head) return { index: entries, problem: `the log's position ${this.after.position} is ahead of the store's head ${head} (the state was rewritten)` };
    return undefined;
  }
}

/** The checkpoint's signed note, or why its row cannot be trusted. */
function checkpointNote(row: StoredCheckpoint, vkey: string | undefined): ParsedCheckpoint | string {
  let note: ParsedCheckpoint;
  try {
    note = vkey ? verifyCheckpoint(row.note, vkey) : parseCheckpoint(row.note);
  } catch (error) {
    return `the checkpoint stored for size ${row.size} does not verify: ${(error as Error).message}`;
  }
  if (note.size !== row.size) return `the checkpoint stored for size ${row.size} signs size ${note.size} (its size column was changed)`;
  if (!note.root.equals(Buffer.from(row.root))) return `the checkpoint of size ${row.size} has a root column other than its signed root`;
  return note;
}

function sameHashes(a: readonly Buffer[], b: readonly Uint8Array[]): boolean {
  return a.length === b.length && a.every((hash, i) => hash.equals(Buffer.from(b[i]!)));
}
