import type { LedgerConfig } from '@doorbraak/config';
import { type DevelopmentTokenClaims, type Ledger, issueDevelopmentToken, openLedger } from '@doorbraak/ledger-infrastructure';

export interface CliContext {
  open(): Promise<Ledger>;
  print(line: string): void;
  /** Signs a development token (refused in production and when an identity provider issues the tokens). */
  issueToken(claims: DevelopmentTokenClaims, expiresIn: string): Promise<string>;
}

export function cliContext(config: LedgerConfig): CliContext {
  return {
    open: () => openLedger(config),
    print: (line) => void process.stdout.write(`${line}\n`),
    issueToken: (claims, expiresIn) => issueDevelopmentToken(config, claims, expiresIn),
  };
}
