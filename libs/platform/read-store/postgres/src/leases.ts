import type { SqlClient } from '@doorbraak/sql';
import type { LogPosition } from '@doorbraak/event-store';
import type { GenerationRow } from './generations';

/** A generation lost its lease to another runner mid-batch; the batch was rolled back. */
export class LeaseLostError extends Error {}

/**
 * One runner per generation across processes: a runner takes a generation's lease when it is free or expired,
 * renews it while it works (a heartbeat at a third of the lease) and hands it back when it stops. Every
 * checkpoint move also checks the owner, so a runner that lost its lease cannot commit.
 */
export class Leases {
  constructor(
    private readonly client: SqlClient,
    private readonly s: string,
    readonly leaseMs: number,
  ) {}

  /** Takes the lease; resolves to the generation's checkpoint, or undefined when another runner holds it. */
  async acquire(target: GenerationRow, owner: string): Promise<LogPosition | undefined> {
    const { rows } = await this.client.query<{ position: LogPosition }>(
      `UPDATE ${this.s}.projection_generations
       SET lease_owner = $3, lease_until = now() + make_interval(secs => $4::double precision / 1000)
       WHERE name = $1 AND generation = $2 AND status <> 'retired'
         AND (lease_owner IS NULL OR lease_until < now())
       RETURNING position`,
      [target.name, target.generation, owner, this.leaseMs],
    );
    return rows[0]?.position;
  }

  /** Renews the lease until `stop`; aborts `lost` when it is no longer this owner's. */
  keep(target: GenerationRow, owner: string, lost: AbortController): () => void {
    const timer = setInterval(() => {
      this.renew(target, owner).then(
        (held) => held || lost.abort(),
        () => lost.abort(),
      );
    }, Math.max(50, Math.floor(this.leaseMs / 3)));
    return () => clearInterval(timer);
  }

  async release(target: GenerationRow, owner: string): Promise<void> {
    await this.client
      .query(
        `UPDATE ${this.s}.projection_generations SET lease_owner = NULL, lease_until = NULL
         WHERE name = $1 AND generation = $2 AND lease_owner = $3`,
        [target.name, target.generation, owner],
      )
      .catch(() => undefined);
  }

  private async renew(target: GenerationRow, owner: string): Promise<boolean> {
    const { rowCount } = await this.client.query(
      `UPDATE ${this.s}.projection_generations
       SET lease_until = now() + make_interval(secs => $4::double precision / 1000)
       WHERE name = $1 AND generation = $2 AND lease_owner = $3 AND status <> 'retired'`,
      [target.name, target.generation, owner, this.leaseMs],
    );
    return rowCount === 1;
  }
}
