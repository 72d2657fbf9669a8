import type { EventStore, EventToAppend } from '@doorbraak/event-store';
import type { MerkleLog } from '@doorbraak/merkle-log';
import { randomUUID } from 'node:crypto';

/** Appends `total` realistic events in batches of 500 (one stream per batch), for the log benchmarks. */
export async function fillLog(store: EventStore, total: number): Promise<void> {
  for (let written = 0; written < total; ) {
    const n = Math.min(500, total - written);
    const events: EventToAppend[] = Array.from({ length: n }, (_, i) => ({
      eventId: randomUUID(),
      type: 'CostLineAdded',
      schemaVersion: 1,
      data: { planId: randomUUID(), costLineId: randomUUID(), description: 'Bijstand', unit: 'maand', unitPrice: '1052.32', quantities: { huidig: '3', dreigend: '3', doorbraak: String(i % 5) }, fundingSource: 'participatiewet', priceSource: 'norm', personal: { note: `household detail ${written + i}` } },
      metadata: { actor: 'bench', correlationId: randomUUID(), tenant: 'gm9001' },
    }));
    await store.append(`plan-${randomUUID()}`, events, 'no_stream');
    written += n;
  }
}

/** Events per second of the integrator and of `verify` (recomputing every leaf and the root). */
export async function measureLog(log: MerkleLog, total: number): Promise<{ integratePerSecond: number; verifyPerSecond: number; ok: boolean }> {
  let t0 = performance.now();
  await log.integrateAll();
  const integrateSeconds = (performance.now() - t0) / 1000;
  await log.checkpoint('bench');
  t0 = performance.now();
  const report = await log.verify();
  const verifySeconds = (performance.now() - t0) / 1000;
  return { integratePerSecond: total / integrateSeconds, verifyPerSecond: total / verifySeconds, ok: report.ok };
}
