import { parseWitnessVkey } from '@doorbraak/witness';
import { z } from 'zod';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** One witness the ledger asks to cosign its checkpoints: its key name, cosignature/v1 verifier key and base URL. */
const witness = z
  .object({
    name: z.string().min(1),
    vkey: z.string().refine((v) => {
      try {
        parseWitnessVkey(v);
        return true;
      } catch {
        return false;
      }
    }, 'must be a cosignature/v1 verifier key (<name>+<hash>+<key>, as `ledger witness` prints it)'),
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).transform((u) => u.replace(/\/+$/, '')),
  })
  .strict()
  .refine((w) => w.vkey.startsWith(`${w.name}+`), { path: ['name'], message: 'must be the name in the verifier key' });

const witnesses = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {"name", "vkey", "url"}' });
      return z.NEVER;
    }
  })
  .pipe(z.array(witness).max(20).refine((list) => new Set(list.map((w) => w.name)).size === list.length, 'names each witness once'));

/** Settings shared by the API and the CLI. */
export const ledgerConfigSchema = z
  .object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** PostgreSQL connection string; without it the ledger runs on the embedded store. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Directory of the embedded (PGlite) store. */
  LEDGER_DATA_DIR: z.string().min(1).default('./data'),
  LEDGER_DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .default('ledger'),
  LEDGER_DB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Origin line of signed checkpoints: who runs this log. */
  LEDGER_LOG_ORIGIN: z.string().regex(/^[A-Za-z0-9.\-/:]{3,200}$/, 'must be a name like ledger.gm0363.nl/doorbraak').default('doorbraak-ledger.local/log'),
  /** Ed25519 private key (PKCS#8 PEM) that signs checkpoints. In development a key is made in the data directory. */
  LEDGER_CHECKPOINT_KEY: z.string().includes('PRIVATE KEY', { message: 'must be a PKCS#8 PEM private key' }).optional(),
  /** Sign a checkpoint this often (minutes) in the process that integrates the log; 0 signs only on demand. */
  LEDGER_CHECKPOINT_EVERY_MINUTES: z.coerce.number().int().min(0).max(10_080).default(60),
  /** The witnesses that cosign checkpoints, as JSON: `[{"name", "vkey", "url"}]` (ADR 0016). */
  LEDGER_WITNESSES: witnesses.default([]),
  /** Where events are stored: PostgreSQL (or the embedded store) or a KurrentDB cluster (read models stay in PostgreSQL). */
  LEDGER_EVENT_STORE: z.enum(['postgres', 'kurrentdb']).default('postgres'),
  KURRENTDB_CONNECTION_STRING: z.string().regex(/^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\//, 'must be a kurrentdb:// connection string').optional(),
  /** Events per projection transaction. */
  LEDGER_PROJECTION_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(1_000),
  /** Whether this process runs the projections (one runner per projection across all processes). */
  LEDGER_RUN_PROJECTIONS: flag.default(true),
  /** 32 random bytes, base64, that wrap every household's data key. In development a key is made in the data directory. */
  LEDGER_MASTER_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32 && /^[A-Za-z0-9+/]{43}=$/.test(v), 'must be 32 bytes in base64 (openssl rand -base64 32)')
    .optional(),
  /** Where the identity provider publishes its token signing keys (OIDC jwks_uri). */
  LEDGER_AUTH_JWKS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** Or one public key (SPKI PEM) that signs the tokens. In development a key is made in the data directory. */
  LEDGER_AUTH_PUBLIC_KEY: z.string().includes('PUBLIC KEY', { message: 'must be an SPKI PEM public key' }).optional(),
  /** Required `iss` of tokens. */
  LEDGER_AUTH_ISSUER: z.string().min(1).default('doorbraak-ledger-development'),
  /** Required `aud` of tokens. */
  LEDGER_AUTH_AUDIENCE: z.string().min(1).default('doorbraak-ledger'),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV === 'production') {
      if (!config.LEDGER_MASTER_KEY) ctx.addIssue({ code: 'custom', path: ['LEDGER_MASTER_KEY'], message: 'is required in production' });
      if (!config.LEDGER_AUTH_JWKS_URL && !config.LEDGER_AUTH_PUBLIC_KEY) {
        ctx.addIssue({ code: 'custom', path: ['LEDGER_AUTH_JWKS_URL'], message: 'or LEDGER_AUTH_PUBLIC_KEY is required in production' });
      }
    }
    if (config.LEDGER_EVENT_STORE !== 'kurrentdb') return;
    if (!config.KURRENTDB_CONNECTION_STRING) ctx.addIssue({ code: 'custom', path: ['KURRENTDB_CONNECTION_STRING'], message: 'is required when LEDGER_EVENT_STORE=kurrentdb' });
    if (!config.DATABASE_URL) ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required when LEDGER_EVENT_STORE=kurrentdb (read models, projections and the Merkle log live in PostgreSQL)' });
  });

export type LedgerConfig = z.infer<typeof ledgerConfigSchema>;
