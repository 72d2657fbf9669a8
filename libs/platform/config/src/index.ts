export { loadConfig, ConfigError } from './load-config';
export { ledgerConfigSchema, type LedgerConfig } from './ledger-config';
