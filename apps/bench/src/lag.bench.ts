import type { LogPosition } from '@doorbraak/event-store';
import type { ProjectionRuntime } from '@doorbraak/projection-runtime';
import type { SqlClient } from '@doorbraak/sql';
import { type Latencies, type RateFigures, percentiles } from './measure';

export interface LagFigures extends Latencies {
  readonly appends: RateFigures;
  /** Appends committed under the load, warm-up included. */
  readonly committed: number;
  /** Of those, the appends whose position every live projection had applied by the end. */
  readonly measured: number;
}

/**
 * Live catch-up under load: the runtime, caught up first (no backlog from earlier writes), follows the log while
 * `load` appends; for every append, the time from its commit until every live generation's checkpoint has passed
 * its position (its rows readable). The checkpoints are read after each page the runtime commits.
 */
export async function catchUpLag(
  runtime: ProjectionRuntime,
  client: SqlClient,
  schema: string,
  load: (committed: (position: LogPosition) => void) => Promise<RateFigures>,
): Promise<LagFigures> {
  let pending: { position: LogPosition; at: number }[] = [];
  let committed = 0;
  const lags: number[] = [];
  let reading: Promise<void> | undefined;
  let again = false;
  const readCheckpoints = async () => {
    do {
      again = false;
      const { rows } = await client.query<{ position: LogPosition | null }>(`SELECT min(position) AS position FROM ${schema}.projection_generations WHERE status = 'live'`);
      const now = performance.now();
      const readable = rows[0]?.position;
      if (!readable) continue;
      // Appends commit out of log order under load, so every pending append is looked at.
      pending = pending.filter(({ position, at }) => {
        if (position > readable) return true;
        lags.push(now - at);
        return false;
      });
    } while (again);
  };
  const check = () => {
    if (reading) {
      again = true;
      return;
    }
    reading = readCheckpoints().finally(() => (reading = undefined));
  };
  await runtime.runUntilCaughtUp();
  const unsubscribe = runtime.onCommit(check);
  await runtime.start();
  try {
    const appends = await load((position) => {
      committed += 1;
      pending.push({ position, at: performance.now() });
    });
    const deadline = performance.now() + 30_000;
    while (pending.length > 0 && performance.now() < deadline) {
      check();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { appends, committed, measured: lags.length, ...percentiles(lags) };
  } finally {
    unsubscribe();
    await runtime.stop();
  }
}
