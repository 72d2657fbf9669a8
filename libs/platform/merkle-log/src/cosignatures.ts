import type { SqlClient } from '@doorbraak/sql';
import { checkWitnessPolicy, formatAddCheckpoint } from '@doorbraak/witness';
import { Buffer } from 'node:buffer';
import type { MerkleLog } from './merkle-log';

/** A witness the ledger asks to cosign: its key name, cosignature/v1 verifier key and base URL. */
export interface WitnessEndpoint {
  readonly name: string;
  readonly vkey: string;
  readonly url: string;
}

export interface WitnessStatus {
  readonly name: string;
  readonly url: string;
  /** The size the witness holds for this log, as it last answered. */
  readonly knownSize: number;
  /** The largest checkpoint the ledger holds the witness's cosignature of. */
  readonly cosignedSize: number;
  /** Signed checkpoints larger than that: they wait for this witness. */
  readonly waiting: number;
  /** Failed attempts since the last success. */
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly lastError: string | null;
}

export interface CosignatureCollectorOptions {
  readonly log: MerkleLog;
  readonly client: SqlClient;
  readonly schema?: string;
  readonly witnesses: readonly WitnessEndpoint[];
  readonly now?: () => Date;
  /** Wait after the first failure, doubled after each further one up to `maxRetryMs`. */
  readonly firstRetryMs?: number;
  readonly maxRetryMs?: number;
}

async function post(url: string, body: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'text/plain' }, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.text() };
}

/**
 * Collects cosignatures for the log's checkpoints. Each witness is sent every checkpoint it has not cosigned, in
 * order of size, with the consistency proof from the size it cosigned last. A witness that is down or refuses is
 * tried again later with exponential backoff; nothing else waits for it. Rounds run one at a time per process;
 * processes that race are sorted out by the witness (409 with its size).
 */
export class CosignatureCollector {
  private readonly s: string;
  private readonly now: () => Date;
  private round: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: CosignatureCollectorOptions) {
    this.s = options.schema ?? 'ledger';
    this.now = options.now ?? (() => new Date());
  }

  get witnesses(): readonly WitnessEndpoint[] {
    return this.options.witnesses;
  }

  /**
   * Asks every witness that is due (with `retryNow`, also those backing off); resolves when this round, run after
   * any round already running, is over.
   */
  collect({ retryNow = false }: { retryNow?: boolean } = {}): Promise<void> {
    // A round that failed (the database, not a witness) does not stop the next one.
    this.round = this.round.catch(() => undefined).then(() => this.collectRound(retryNow));
    return this.round;
  }

  /** Collects now and then every `everyMs` until `stop` (retries fall due on their own schedule). */
  start(everyMs = 15_000, onError?: (error: unknown) => void): void {
    if (this.options.witnesses.length === 0 || this.timer) return;
    const tick = () => void this.collect().catch((error: unknown) => onError?.(error));
    tick();
    this.timer = setInterval(tick, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.round.catch(() => undefined);
  }

  private async collectRound(retryNow: boolean): Promise<void> {
    if (this.options.witnesses.length === 0) return;
    const now = this.now();
    await this.options.client.query(`INSERT INTO ${this.s}.log_witnesses (witness) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [this.options.witnesses.map((w) => w.name)]);
    const { rows } = await this.options.client.query<{ witness: string; known_size: string; attempts: number; next_attempt_at: Date | string | null }>(
      `SELECT witness, known_size::text, attempts, next_attempt_at FROM ${this.s}.log_witnesses WHERE witness = ANY($1::text[])`,
      [this.options.witnesses.map((w) => w.name)],
    );
    const due = rows.filter((r) => retryNow || r.next_attempt_at === null || new Date(r.next_attempt_at) <= now);
    await Promise.all(
      due.map(async (row) => {
        const witness = this.options.witnesses.find((w) => w.name === row.witness)!;
        try {
          await this.bringUpToDate(witness, Number(row.known_size));
          await this.options.client.query(`UPDATE ${this.s}.log_witnesses SET attempts = 0, next_attempt_at = NULL, last_error = NULL WHERE witness = $1`, [witness.name]);
        } catch (error) {
          const attempts = row.attempts + 1;
          const first = this.options.firstRetryMs ?? 10_000;
          const wait = Math.min(this.options.maxRetryMs ?? 3_600_000, first * 2 ** Math.min(attempts - 1, 30));
          await this.options.client.query(`UPDATE ${this.s}.log_witnesses SET attempts = $2, next_attempt_at = $3, last_error = $4 WHERE witness = $1`, [
            witness.name,
            attempts,
            new Date(now.getTime() + wait).toISOString(),
            describe(error).slice(0, 500),
          ]);
        }
      }),
    );
  }

  /** Sends the witness every checkpoint larger than `known`, in order; throws at the first it does not cosign. */
  private async bringUpToDate(witness: WitnessEndpoint, known: number): Promise<void> {
    const { rows } = await this.options.client.query<{ size: string; note: string }>(`SELECT size::text, note FROM ${this.s}.log_checkpoints WHERE size > $1 ORDER BY size`, [known]);
    for (const checkpoint of rows.map((r) => ({ size: Number(r.size), note: r.note }))) {
      // A 409 names the size the witness holds; the request is then made again from there, at most twice. A
      // witness that holds a larger tree already is sent the next checkpoint instead.
      for (let tries = 0; known <= checkpoint.size; tries++) {
        if (tries === 3) throw new Error(`${witness.name} keeps changing its cosigned size (last ${known})`);
        const proof = known === 0 || known === checkpoint.size ? [] : (await this.options.log.consistencyProof(known, checkpoint.size)).map((h) => Buffer.from(h, 'base64'));
        const answer = await post(`${witness.url}/add-checkpoint`, formatAddCheckpoint({ oldSize: known, proof, checkpoint: checkpoint.note }));
        if (answer.status === 409 && /^(0|[1-9][0-9]*)\n?$/.test(answer.body)) {
          known = Number(answer.body.trim());
          await this.setKnownSize(witness, known);
          continue;
        }
        if (answer.status !== 200) throw new Error(`${witness.name} answered ${answer.status} for size ${checkpoint.size}: ${answer.body.trim().slice(0, 300)}`);
        const cosigned = ownCosignature(checkpoint.note, answer.body, witness);
        if (!cosigned) throw new Error(`${witness.name} answered 200 for size ${checkpoint.size} without a valid cosignature by its key`);
        await this.options.client.query(
          `INSERT INTO ${this.s}.log_cosignatures (size, witness, cosignature, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT (size, witness) DO UPDATE SET cosignature = EXCLUDED.cosignature, received_at = EXCLUDED.received_at`,
          [checkpoint.size, witness.name, cosigned, this.now().toISOString()],
        );
        known = checkpoint.size;
        await this.setKnownSize(witness, known);
        break;
      }
    }
  }

  private async setKnownSize(witness: WitnessEndpoint, size: number): Promise<void> {
    await this.options.client.query(`UPDATE ${this.s}.log_witnesses SET known_size = $2 WHERE witness = $1`, [witness.name, size]);
  }

  async status(): Promise<WitnessStatus[]> {
    const { rows } = await this.options.client.query<{ witness: string; known_size: string | null; attempts: number | null; next_attempt_at: Date | string | null; last_error: string | null; cosigned: string; waiting: string }>(
      `SELECT n.witness, w.known_size::text, w.attempts, w.next_attempt_at, w.last_error, c.cosigned::text,
              (SELECT count(*) FROM ${this.s}.log_checkpoints p WHERE p.size > c.cosigned)::text AS waiting
       FROM unnest($1::text[]) AS n(witness)
       LEFT JOIN ${this.s}.log_witnesses w USING (witness)
       CROSS JOIN LATERAL (SELECT coalesce(max(size), 0) AS cosigned FROM ${this.s}.log_cosignatures x WHERE x.witness = n.witness) c`,
      [this.options.witnesses.map((w) => w.name)],
    );
    return this.options.witnesses.map((w) => {
      const row = rows.find((r) => r.witness === w.name)!;
      return {
        name: w.name,
        url: w.url,
        knownSize: Number(row.known_size ?? 0),
        cosignedSize: Number(row.cosigned),
        waiting: Number(row.waiting),
        attempts: row.attempts ?? 0,
        nextAttemptAt: row.next_attempt_at ? new Date(row.next_attempt_at).toISOString() : null,
        lastError: row.last_error ?? null,
      };
    });
  }

  /** The signed note followed by the stored cosignature lines for its size (C2SP: further signature lines). */
  async cosigned(note: string): Promise<string> {
    const size = Number(note.split('\n', 2)[1]);
    const { rows } = await this.options.client.query<{ cosignature: string }>(`SELECT cosignature FROM ${this.s}.log_cosignatures WHERE size = $1 ORDER BY witness`, [size]);
    return note + rows.map((r) => r.cosignature).join('');
  }
}

/** The witness's single cosignature line from its answer when it verifies over this checkpoint, else undefined. */
function ownCosignature(note: string, answer: string, witness: WitnessEndpoint): string | undefined {
  const line = answer.endsWith('\n') ? answer : `${answer}\n`;
  if (!/^\u2014 \S+ [A-Za-z0-9+/=]+\n$/u.test(line)) return undefined;
  try {
    return checkWitnessPolicy(note + line, [witness.vkey]).cosigned.length === 1 ? line : undefined;
  } catch {
    return undefined;
  }
}

/** fetch rejects with "fetch failed" and the reason in `cause` (ECONNREFUSED, a timeout). */
function describe(error: unknown): string {
  const { message, cause } = (error ?? {}) as { message?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (typeof message !== 'string') return String(error);
  const reason = cause?.code ?? cause?.message;
  return typeof reason === 'string' ? `${message}: ${reason}` : message;
}
