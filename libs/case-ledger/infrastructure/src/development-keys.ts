import type { LedgerConfig } from '@doorbraak/config';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A secret kept in the data directory (made on first use, readable by the owner only), so that development runs
 * need no set-up and stay consistent across restarts. Never in production: there every secret is configured.
 */
export function developmentSecret(config: LedgerConfig, fileName: string, make: () => string): string | undefined {
  if (config.NODE_ENV === 'production') return undefined;
  const file = join(config.LEDGER_DATA_DIR, fileName);
  if (!existsSync(file)) {
    mkdirSync(config.LEDGER_DATA_DIR, { recursive: true });
    try {
      writeFileSync(file, make(), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readFileSync(file, 'utf8');
}
