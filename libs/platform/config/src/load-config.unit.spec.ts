import { generateSigningKey } from '@doorbraak/merkle';
import { witnessVkey } from '@doorbraak/witness';
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

  it('reads the witnesses as JSON and names a bad key, URL or name at its place', () => {
    const vkey = witnessVkey('witness.gm0344.nl', generateSigningKey('witness.gm0344.nl').privateKey);
    const good = [{ name: 'witness.gm0344.nl', vkey, url: 'https://witness.gm0344.nl/' }];
    expect(loadConfig(ledgerConfigSchema, {}).LEDGER_WITNESSES).toEqual([]);
    expect(loadConfig(ledgerConfigSchema, { LEDGER_WITNESSES: JSON.stringify(good) }).LEDGER_WITNESSES).toEqual([{ ...good[0], url: 'https://witness.gm0344.nl' }]);
    expect(() => loadConfig(ledgerConfigSchema, { LEDGER_WITNESSES: '[{' })).toThrow(/LEDGER_WITNESSES: must be a JSON array/);
    const bad = [{ name: 'another.nl', vkey: `${vkey.slice(0, -4)}AAA=`, url: 'ftp://x' }];
    const message = (() => {
      try {
        loadConfig(ledgerConfigSchema, { LEDGER_WITNESSES: JSON.stringify(bad) });
      } catch (e) {
        return (e as ConfigError).message;
      }
      return '';
    })();
    expect(message).toMatch(/LEDGER_WITNESSES\.0\.vkey: must be a cosignature\/v1 verifier key/);
    expect(message).toMatch(/LEDGER_WITNESSES\.0\.url: must be an http\(s\) URL/);
    expect(() => loadConfig(ledgerConfigSchema, { LEDGER_WITNESSES: JSON.stringify([{ ...good[0], name: 'another.nl' }]) })).toThrow(/LEDGER_WITNESSES\.0\.name: must be the name in the verifier key/);
  });
});
