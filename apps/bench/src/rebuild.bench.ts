import type { ProjectionRuntime } from '@doorbraak/projection-runtime';
import type { SqlClient } from '@doorbraak/sql';
import { timed } from './measure';

const PAGE = 5_000;

/**
 * Rebuilds every projection from the start of the log at once (one pass over the log) and waits until all are
 * live again. Returns the seconds it took and the highest resident set size of the process meanwhile (sampled).
 */
export async function rebuildAll(runtime: ProjectionRuntime): Promise<{ seconds: number; peakRssBytes: number }> {
  const names = runtime.projections.map((p) => p.name);
  let peakRssBytes = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss())), 50);
  try {
    const { seconds } = await timed(async () => {
      for (const name of names) await runtime.rebuild(name);
      await runtime.runUntilLive(names);
    });
    return { seconds, peakRssBytes: Math.max(peakRssBytes, process.memoryUsage.rss()) };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * The reference for a rebuild: the whole log read in log order into Node (pages by keyset on the log-order index,
 * rows and their JSON parsed), with nothing done to the events. Returns the seconds it took. The columns are
 * qualified: `ORDER BY tx_id` would sort by the text column of the same name and scan the log for every page.
 */
export async function orderedRead(client: SqlClient, schema: string): Promise<number> {
  const { seconds } = await timed(async () => {
    let after = { tx: '0', position: '0' };
    for (;;) {
      const { rows } = await client.query<{ tx_id: string; global_position: string }>(
        `SELECT e.tx_id::text, e.global_position::text, e.event_id, e.stream_id, e.stream_version, e.type, e.data, e.metadata, e.recorded_at
         FROM ${schema}.events e WHERE (e.tx_id, e.global_position) > ($1::xid8, $2::bigint) ORDER BY e.tx_id, e.global_position LIMIT ${PAGE}`,
        [after.tx, after.position],
      );
      const last = rows[rows.length - 1];
      if (!last) return;
      after = { tx: last.tx_id, position: last.global_position };
    }
  });
  return seconds;
}
