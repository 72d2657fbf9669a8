import type { EventStore } from '@doorbraak/event-store';
import { randomUUID } from 'node:crypto';

export interface AppendFigures {
  readonly writers: number;
  readonly appends: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * `writers` concurrent loops, each appending one event at a time to its own stream with the exact expected
 * version (optimistic concurrency on every append), for `seconds`.
 */
export async function measureAppends(store: EventStore, writers: number, seconds: number): Promise<AppendFigures> {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      const stream = `bench-${randomUUID()}`;
      let version = 0n;
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await store.append(
          stream,
          [
            {
              eventId: randomUUID(),
              type: 'CostLineAdded',
              schemaVersion: 1,
              data: { description: 'Bijstand (levensonderhoud)', unitPrice: '1052.32', unit: 'maand', quantities: { huidig: '3', dreigend: '3', doorbraak: '4' }, law: 'Pw' },
              metadata: { actor: 'bench', correlationId: randomUUID(), tenant: 'gm0363' },
            },
          ],
          version,
        );
        latencies.push(performance.now() - t0);
        version += 1n;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    writers,
    appends: latencies.length,
    seconds: elapsed,
    perSecond: latencies.length / elapsed,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}
