import { ConfigError, ledgerConfigSchema, loadConfig } from '.';

describe('loadConfig', () => {
  it('applies defaults: the embedded store in ./data', () => {
    expect(loadConfig(ledgerConfigSchema, {})).toMatchObject({
      NODE_ENV: 'development',
      LEDGER_DATA_DIR: './data',
      LEDGER_DB_SCHEMA: 'ledger',
      LEDGER_RUN_PROJECTIONS: true,
    });
  });

  it('requires PostgreSQL and a connection string when events live in KurrentDB', () => {
    expect(() => loadConfig(ledgerConfigSchema, { LEDGER_EVENT_STORE: 'kurrentdb' })).toThrow(
      /KURRENTDB_CONNECTION_STRING: is required when LEDGER_EVENT_STORE=kurrentdb[\s\S]*DATABASE_URL: is required when LEDGER_EVENT_STORE=kurrentdb/,
    );
    expect(loadConfig(ledgerConfigSchema, { LEDGER_EVENT_STORE: 'kurrentdb', KURRENTDB_CONNECTION_STRING: 'kurrentdb://localhost:2113?tls=false', DATABASE_URL: 'postgresql://x@y/z' })).toMatchObject({
      LEDGER_EVENT_STORE: 'kurrentdb',
    });
  });

  it('requires a master key and a token issuer key in production, and accepts them', () => {
    expect(() => loadConfig(ledgerConfigSchema, { NODE_ENV: 'production' })).toThrow(
      /LEDGER_MASTER_KEY: is required in production[\s\S]*LEDGER_AUTH_JWKS_URL: or LEDGER_AUTH_PUBLIC_KEY is required in production/,
    );
    const production = { NODE_ENV: 'production', LEDGER_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'), LEDGER_AUTH_JWKS_URL: 'https://login.gm9001.nl/.well-known/jwks.json' };
    expect(loadConfig(ledgerConfigSchema, production)).toMatchObject({ LEDGER_AUTH_AUDIENCE: 'doorbraak-ledger' });
    expect(() => loadConfig(ledgerConfigSchema, { ...production, LEDGER_MASTER_KEY: 'c2hvcnQ=' })).toThrow(/LEDGER_MASTER_KEY: must be 32 bytes in base64/);
  });

  it('names every bad setting', () => {
    const error = (() => {
      try {
        loadConfig(ledgerConfigSchema, { DATABASE_URL: 'mysql://x', LEDGER_DB_POOL_SIZE: 'lots', LEDGER_RUN_PROJECTIONS: 'yes' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
    expect(message).toContain('LEDGER_DB_POOL_SIZE');
    expect(message).toContain('LEDGER_RUN_PROJECTIONS');
  });
});
