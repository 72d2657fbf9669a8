export { openLedger, type Ledger, type OpenLedgerOptions } from './open-ledger';
export { issueDevelopmentToken, tokenVerification, type DevelopmentTokenClaims } from './secrets';
