export interface Latencies {
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

export interface RateFigures extends Latencies {
  readonly writers: number;
  readonly operations: number;
  readonly seconds: number;
  readonly perSecond: number;
}

export function percentiles(samples: number[]): Latencies {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99) };
}

/** Seconds a closed loop runs before it starts counting, so that every path is measured warm (compiled, pools filled). */
export const WARM_UP_SECONDS = 1;

/**
 * A closed loop: `writers` concurrent writers, each made by `writer` and doing one operation after the other,
 * for `warmUpSeconds` uncounted and then `seconds` counted. Returns operations per second and the latency of
 * each operation that started in the counted part.
 */
export async function closedLoop(writers: number, seconds: number, writer: () => Promise<() => Promise<void>>, warmUpSeconds = WARM_UP_SECONDS): Promise<RateFigures> {
  const operations = await Promise.all(Array.from({ length: writers }, writer));
  const latencies: number[] = [];
  const started = performance.now() + warmUpSeconds * 1000;
  const deadline = started + seconds * 1000;
  await Promise.all(
    operations.map(async (operation) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await operation();
        if (t0 >= started) latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { writers, operations: latencies.length, seconds: elapsed, perSecond: latencies.length / elapsed, ...percentiles(latencies) };
}

/** Runs `work` and returns how long it took in seconds with its result. */
export async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const t0 = performance.now();
  const result = await work();
  return { seconds: (performance.now() - t0) / 1000, result };
}
