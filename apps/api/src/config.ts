import { ledgerConfigSchema } from '@doorbraak/config';
import { z } from 'zod';

export const apiConfigSchema = ledgerConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Largest request body accepted, in bytes. */
  LEDGER_BODY_LIMIT: z.coerce.number().int().min(1_024).max(50 * 1024 * 1024).default(1024 * 1024),
});

export type ApiConfig = z.infer<typeof apiConfigSchema>;
