import { Buffer } from 'node:buffer';
import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { CheckpointError, verifyCheckpoint, verifyConsistency, type ParsedCheckpoint } from '@doorbraak/merkle';

/** What a witness remembers of one log: the last checkpoint it cosigned (size, root and the signed note). */
export interface CosignedState {
  readonly size: number;
  readonly root: string;
  readonly note: string;
}

/** Two checkpoints signed by the log's key that no append-only log can both have produced. */
export interface ForkEvidence {
  readonly origin: string;
  readonly cosigned: string;
  readonly presented: string;
  readonly reason: string;
}

/** The witness's durable memory; `compareAndSet` fails when another request moved the state first. */
export interface WitnessStore {
  get(origin: string): CosignedState | undefined;
  compareAndSet(origin: string, expectedSize: number | undefined, next: CosignedState): boolean;
  recordFork(evidence: ForkEvidence): void;
}

export interface AddCheckpointRequest {
  readonly oldSize: number;
  readonly proof: readonly Uint8Array[];
  readonly checkpoint: string;
}

/** Outcomes map one to one onto the C2SP tlog-witness status codes. */
export type AddCheckpointResult =
  | { readonly status: 200; readonly cosignature: string }
  | { readonly status: 404; readonly reason: string }
  | { readonly status: 403; readonly reason: string }
  | { readonly status: 400; readonly reason: string }
  | { readonly status: 409; readonly size: number; readonly reason: string }
  | { readonly status: 422; readonly reason: string };

export const COSIGNATURE_V1 = 0x04;

/**
 * A C2SP tlog-witness: cosigns a checkpoint only if it is consistent with the last one it cosigned for that log.
 * `logs` maps each followed origin to the log's verifier key.
 */
export class Witness {
  constructor(
    private readonly name: string,
    private readonly privateKey: KeyObject,
    private readonly logs: ReadonlyMap<string, string>,
    private readonly store: WitnessStore,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  addCheckpoint(request: AddCheckpointRequest): AddCheckpointResult {
    const origin = request.checkpoint.split('\n', 1)[0] ?? '';
    const vkey = this.logs.get(origin);
    if (vkey === undefined) return { status: 404, reason: `log ${JSON.stringify(origin)} is not followed by this witness` };
    let checkpoint: ParsedCheckpoint;
    try {
      checkpoint = verifyCheckpoint(request.checkpoint, vkey);
    } catch (error) {
      if (error instanceof CheckpointError) return { status: 403, reason: error.message };
      throw error;
    }
    const last = this.store.get(origin);
    const lastSize = last?.size ?? 0;
    if (request.oldSize !== lastSize) return { status: 409, size: lastSize, reason: `old size ${request.oldSize} is not the cosigned size ${lastSize}` };
    if (checkpoint.size < lastSize) return { status: 400, reason: `size ${checkpoint.size} is smaller than old size ${lastSize}` };
    if (last) {
      const lastRoot = Buffer.from(last.root, 'base64');
      const consistent =
        checkpoint.size === lastSize
          ? lastRoot.equals(checkpoint.root)
            ? { ok: true as const }
            : { ok: false as const, reason: 'same size, different root' }
          : verifyConsistency(lastSize, checkpoint.size, request.proof, lastRoot, checkpoint.root);
      if (!consistent.ok) {
        this.store.recordFork({ origin, cosigned: last.note, presented: request.checkpoint, reason: consistent.reason });
        return { status: 422, reason: `checkpoint does not extend the cosigned size ${lastSize}: ${consistent.reason}` };
      }
    }
    const next = { size: checkpoint.size, root: checkpoint.root.toString('base64'), note: request.checkpoint };
    if (!this.store.compareAndSet(origin, last?.size, next)) {
      return { status: 409, size: this.store.get(origin)?.size ?? 0, reason: 'another checkpoint was cosigned meanwhile' };
    }
    return { status: 200, cosignature: cosign(checkpoint.body, this.name, this.privateKey, this.now()) };
  }
}

/** A C2SP tlog-cosignature/v1 signature line over a checkpoint body. */
export function cosign(body: string, name: string, privateKey: KeyObject, timestamp: number): string {
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(BigInt(timestamp));
  const signature = sign(null, Buffer.from(`cosignature/v1\ntime ${timestamp}\n${body}`, 'utf8'), privateKey);
  return `\u2014 ${name} ${Buffer.concat([cosignatureKeyHash(name, privateKey), time, signature]).toString('base64')}\n`;
}

export function cosignatureKeyHash(name: string, key: KeyObject): Buffer {
  const { x } = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' });
  return createHash('sha256')
    .update(`${name}\n`, 'utf8')
    .update(Buffer.from([COSIGNATURE_V1]))
    .update(Buffer.from(x!, 'base64url'))
    .digest()
    .subarray(0, 4);
}
