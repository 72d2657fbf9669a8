import { z } from 'zod';

const counts = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'must be a comma-separated list of whole numbers')
  .transform((v) => v.split(',').map(Number).sort((a, b) => a - b));

export const benchConfigSchema = z.object({
  /** Seconds each append measurement runs. */
  BENCH_SECONDS: z.coerce.number().positive().default(10),
  /** Concurrent writers of the append measurements. */
  BENCH_WRITERS: counts.default([1, 8, 32]),
  /** Log sizes (events) at which queries, the append rate, the rebuild and the Merkle log (integrate, verify, proofs) are measured. */
  BENCH_SIZES: counts.default([10_000, 100_000, 1_000_000]),
  /** Samples of each query at each size. */
  BENCH_QUERY_SAMPLES: z.coerce.number().int().min(1).default(300),
  /** Events in the embedded store before its rebuild and catch-up are measured. */
  BENCH_PGLITE_EVENTS: z.coerce.number().int().min(1).default(20_000),
  /** Where results.json and results.md go. */
  BENCH_OUT: z.string().min(1).default('bench'),
});

export type BenchConfig = z.infer<typeof benchConfigSchema>;
