import type { Command } from 'commander';
import type { CliContext } from '../cli-context';

export function migrateCommand(program: Command, context: CliContext): void {
  program
    .command('migrate')
    .description('create or upgrade the database schema (forward-only; safe to run repeatedly)')
    .action(async () => {
      const ledger = await context.open();
      try {
        const applied = await ledger.migrate();
        context.print(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
      } finally {
        await ledger.close();
      }
    });
}
