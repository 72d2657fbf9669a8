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
