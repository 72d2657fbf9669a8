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
