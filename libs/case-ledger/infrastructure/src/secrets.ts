import type { LedgerConfig } from '@doorbraak/config';
import { type TokenVerifierOptions, signToken } from '@doorbraak/auth';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { developmentSecret } from './development-keys';

/** The key that wraps every household's data key: LEDGER_MASTER_KEY, or in development one in the data directory. */
export function masterKey(config: LedgerConfig): Buffer {
  const base64 = config.LEDGER_MASTER_KEY ?? developmentSecret(config, 'master-key', () => randomBytes(32).toString('base64'));
  if (!base64) throw new Error('LEDGER_MASTER_KEY is required in production');
  return Buffer.from(base64, 'base64');
}

const DEVELOPMENT_TOKEN_KEY = 'token-signing-key.pem';

/** How bearer tokens are checked: the identity provider's JWKS or key, or in development a key in the data directory. */
export function tokenVerification(config: LedgerConfig): TokenVerifierOptions {
  const common = { issuer: config.LEDGER_AUTH_ISSUER, audience: config.LEDGER_AUTH_AUDIENCE };
  if (config.LEDGER_AUTH_JWKS_URL) return { ...common, jwksUrl: config.LEDGER_AUTH_JWKS_URL };
  if (config.LEDGER_AUTH_PUBLIC_KEY) return { ...common, publicKeyPem: config.LEDGER_AUTH_PUBLIC_KEY };
  const pem = developmentTokenKey(config);
  return { ...common, publicKeyPem: createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'pem' }).toString() };
}

/** Claims of a development token; the API checks them like any other token's. */
export interface DevelopmentTokenClaims {
  readonly sub: string;
  readonly municipality: string;
  readonly roles: readonly string[];
  readonly namens?: string;
  readonly grants?: readonly string[];
}

/**
 * Issues a token for local use, signed by the development key. Refused in production and whenever tokens come
 * from an identity provider (the API would not accept it anyway).
 */
export async function issueDevelopmentToken(config: LedgerConfig, claims: DevelopmentTokenClaims, expiresIn = '8h'): Promise<string> {
  if (config.NODE_ENV === 'production') throw new Error('development tokens cannot be issued in production (NODE_ENV=production)');
  if (config.LEDGER_AUTH_JWKS_URL || config.LEDGER_AUTH_PUBLIC_KEY) throw new Error('tokens come from the identity provider (LEDGER_AUTH_JWKS_URL / LEDGER_AUTH_PUBLIC_KEY); get one there');
  return signToken(developmentTokenKey(config), { ...claims, roles: [...claims.roles], ...(claims.grants ? { grants: [...claims.grants] } : {}) }, { issuer: config.LEDGER_AUTH_ISSUER, audience: config.LEDGER_AUTH_AUDIENCE, expiresIn });
}

function developmentTokenKey(config: LedgerConfig): string {
  const pem = developmentSecret(config, DEVELOPMENT_TOKEN_KEY, () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  if (!pem) throw new Error('LEDGER_AUTH_JWKS_URL or LEDGER_AUTH_PUBLIC_KEY is required in production');
  return pem;
}
