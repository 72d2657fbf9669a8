import type { LedgerConfig } from '@doorbraak/config';
import { type NoteSigner, generateSigningKey, vkeyFor } from '@doorbraak/merkle';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { developmentSecret } from './development-keys';

/**
 * The checkpoint signing key: from LEDGER_CHECKPOINT_KEY, or in development a key kept in the data directory
 * so that checkpoints stay verifiable across restarts. In production without a key the log still integrates,
 * but checkpoints cannot be signed.
 */
export function checkpointSigner(config: LedgerConfig): { signer: NoteSigner; vkey: string } | undefined {
  const name = config.LEDGER_LOG_ORIGIN;
  const pem = config.LEDGER_CHECKPOINT_KEY ?? developmentSecret(config, 'checkpoint-signing-key.pem', () => generateSigningKey(name).privateKeyPem);
  if (!pem) return undefined;
  const privateKey = createPrivateKey(pem);
  return { signer: { name, privateKey }, vkey: vkeyFor(name, createPublicKey(privateKey)) };
}
