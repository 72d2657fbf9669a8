import type { LedgerConfig } from '@doorbraak/config';
import { type Ledger, openLedger } from '@doorbraak/ledger-infrastructure';

export interface CliContext {
  open(): Promise<Ledger>;
  print(line: string): void;
}

export function cliContext(config: LedgerConfig): CliContext {
  return {
    open: () => openLedger(config),
    print: (line) => void process.stdout.write(`${line}\n`),
  };
}
