import { ledgerConfigSchema } from '@doorbraak/config';
import { join } from 'node:path';
import { z } from 'zod';

export const apiConfigSchema = ledgerConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Largest request body accepted, in bytes. */
  LEDGER_BODY_LIMIT: z.coerce.number().int().min(1_024).max(50 * 1024 * 1024).default(1024 * 1024),
  /** Requests per minute from one network address; more get 429 with Retry-After. */
  LEDGER_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(1_200),
  /** The built web pages served at `/`; by default where the build puts them beside the API (dist/web). */
  LEDGER_WEB_DIR: z.string().min(1).default(join(__dirname, '../../../web')),
});

export type ApiConfig = z.infer<typeof apiConfigSchema>;
