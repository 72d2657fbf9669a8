export { openLedger, type Ledger, type OpenLedgerOptions } from './open-ledger';
