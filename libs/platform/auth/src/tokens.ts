import { type JWTPayload, SignJWT, createRemoteJWKSet, errors, importPKCS8, importSPKI, jwtVerify } from 'jose';
import { type KeyObject, createPublicKey } from 'node:crypto';

/** Signature algorithms accepted: asymmetric only, so that no verifier can forge a token. */
const ALGORITHMS = ['EdDSA', 'ES256', 'ES384', 'RS256', 'PS256'];

export interface TokenVerifierOptions {
  /** OIDC `jwks_uri` of the identity provider: keys are fetched, cached and refreshed on an unknown `kid`. */
  readonly jwksUrl?: string;
  /** Or a single public key (SPKI PEM). */
  readonly publicKeyPem?: string;
  readonly issuer: string;
  readonly audience: string;
}

/** The bearer token was missing, malformed, expired, or not signed by a trusted key. `reason` is safe to show. */
export class InvalidTokenError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export type TokenVerifier = (token: string) => Promise<JWTPayload>;

/** Verified tokens remembered at most; the oldest is forgotten first. */
const VERIFIED_TOKENS = 10_000;

/**
 * Verifies signature, `iss`, `aud`, `exp` and `nbf` (60 s clock tolerance) of a JWT bearer token. A token that
 * verified is remembered until its `exp` (without the tolerance), so a client's next requests skip the signature
 * check; a refused token is checked again every time.
 */
export async function createTokenVerifier(options: TokenVerifierOptions): Promise<TokenVerifier> {
  const key = options.jwksUrl
    ? createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 })
    : await publicKey(options.publicKeyPem);
  const verified = new Map<string, JWTPayload>();
  return async (token) => {
    const known = verified.get(token);
    if (known && known.exp! * 1000 > Date.now()) return known;
    verified.delete(token);
    try {
      const { payload } = await jwtVerify(token, key as Parameters<typeof jwtVerify>[1], {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ALGORITHMS,
        clockTolerance: 60,
        requiredClaims: ['sub', 'exp'],
      });
      if (verified.size >= VERIFIED_TOKENS) verified.delete(verified.keys().next().value!);
      verified.set(token, payload);
      return payload;
    } catch (error) {
      if (error instanceof errors.JOSEError) throw new InvalidTokenError(reasonOf(error));
      throw error;
    }
  };
}

async function publicKey(pem: string | undefined): Promise<KeyObject> {
  if (!pem) throw new Error('a JWKS URL or a public key is needed to verify tokens');
  const algorithm = pem.includes('BEGIN PUBLIC KEY') ? algorithmOf(pem) : undefined;
  if (!algorithm) throw new Error('the token public key must be an SPKI PEM');
  return (await importSPKI(pem, algorithm)) as KeyObject;
}

/** jose needs the algorithm to import a PEM; the key type tells it (Ed25519 → EdDSA, EC → ES256, RSA → RS256). */
function algorithmOf(pem: string): string {
  const type = createPublicKey(pem).asymmetricKeyType;
  return type === 'ed25519' ? 'EdDSA' : type === 'ec' ? 'ES256' : 'RS256';
}

function reasonOf(error: InstanceType<typeof errors.JOSEError>): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) return 'the token is not signed by a trusted key';
  return 'the token is not a valid JWT';
}

/** Signs a token with an Ed25519 key (PKCS#8 PEM): for development and tests only. */
export async function signToken(privateKeyPem: string, claims: JWTPayload & { sub: string }, options: { issuer: string; audience: string; expiresIn: string }): Promise<string> {
  const key = await importPKCS8(privateKeyPem, 'EdDSA');
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' }).setIssuer(options.issuer).setAudience(options.audience).setIssuedAt().setExpirationTime(options.expiresIn).sign(key);
}
