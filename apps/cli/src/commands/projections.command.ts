import type { Command } from 'commander';
import type { CliContext } from '../cli-context';

export function projectionsCommand(program: Command, context: CliContext): void {
  program
    .command('projections')
    .description('list each projection generation with its checkpoint and lag')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const ledger = await context.open();
      try {
        const rows = (await ledger.runtime.status()).map(({ leaseOwner: _owner, ...status }) => status);
        if (options.json) return context.print(JSON.stringify(rows, null, 2));
        context.print(['projection', 'generation', 'version', 'status', 'applied', 'lag', 'position'].join('\t'));
        for (const r of rows) context.print([r.name, r.generation, r.version, r.status, r.eventsApplied, r.lag, r.position].join('\t'));
      } finally {
        await ledger.close();
      }
    });
}
