import type { Command } from 'commander';
import type { CliContext } from '../cli-context';

export function witnessesCommand(program: Command, context: CliContext): void {
  program
    .command('witnesses')
    .description('list each configured witness (LEDGER_WITNESSES) with the size it holds, the largest checkpoint it cosigned, the checkpoints waiting for it and its last error')
    .option('--collect', 'first send every witness, also one backing off, the checkpoints it has not cosigned')
    .option('--json', 'print JSON')
    .action(async (options: { collect?: boolean; json?: boolean }) => {
      const ledger = await context.open();
      try {
        if (options.collect) await ledger.witnesses.collect({ retryNow: true });
        const rows = await ledger.witnesses.status();
        if (options.json) return context.print(JSON.stringify(rows, null, 2));
        if (rows.length === 0) return context.print('no witnesses are configured (LEDGER_WITNESSES)');
        context.print(['witness', 'holds', 'cosigned', 'waiting', 'attempts', 'next attempt', 'last error'].join('\t'));
        for (const r of rows) context.print([r.name, r.knownSize, r.cosignedSize, r.waiting, r.attempts, r.nextAttemptAt ?? '-', r.lastError ?? '-'].join('\t'));
      } finally {
        await ledger.close();
      }
    });
}
