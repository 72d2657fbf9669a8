import { ledgerConfigSchema } from '@doorbraak/config';

/** The CLI runs projections only when a command asks for it. */
export const cliConfigSchema = ledgerConfigSchema;
