import type { LedgerConfig } from '@doorbraak/config';
import { type NoteSigner, generateSigningKey, vkeyFor } from '@doorbraak/merkle';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The checkpoint signing key: from LEDGER_CHECKPOINT_KEY, or in development a key kept in the data directory
 * (made on first use) so that checkpoints stay verifiable across restarts. In production without a key the
 * log still integrates, but checkpoints cannot be signed.
 */
export function checkpointSigner(config: LedgerConfig): { signer: NoteSigner; vkey: string } | undefined {
  const name = config.LEDGER_LOG_ORIGIN;
  let pem = config.LEDGER_CHECKPOINT_KEY;
  if (!pem && config.NODE_ENV !== 'production') {
    const file = join(config.LEDGER_DATA_DIR, 'checkpoint-signing-key.pem');
    if (!existsSync(file)) {
      mkdirSync(config.LEDGER_DATA_DIR, { recursive: true });
      writeFileSync(file, generateSigningKey(name).privateKeyPem, { mode: 0o600 });
    }
    pem = readFileSync(file, 'utf8');
  }
  if (!pem) return undefined;
  const privateKey = createPrivateKey(pem);
  return { signer: { name, privateKey }, vkey: vkeyFor(name, createPublicKey(privateKey)) };
}
