import type { Command } from 'commander';
import type { CliContext } from '../cli-context';

export function verifyCommands(program: Command, context: CliContext): void {
  program
    .command('verify')
    .description('recompute the Merkle log from the database as it stands and check it against every signed checkpoint (writes nothing)')
    .action(async () => {
      const ledger = await context.open();
      try {
        const report = await ledger.log.verify();
        if (report.ok) {
          const pending = report.pending ? `; ${report.pending} newer events are not in the log yet (not checked)` : '';
          context.print(`ok: ${report.size} log entries; the latest checkpoint (size ${report.checkpointSize ?? 'none'}) verifies${pending}`);
        } else {
          const at = report.firstBadIndex === undefined ? '' : ` at log index ${report.firstBadIndex}`;
          context.print(`FAILED${at}${report.eventId ? ` (event ${report.eventId})` : ''}: ${report.problem}`);
          process.exitCode = 1;
        }
      } finally {
        await ledger.close();
      }
    });

  program
    .command('checkpoint')
    .description('integrate the log and sign a checkpoint (e.g. at the close of a month or boekjaar)')
    .requiredOption('--reason <text>', 'why this checkpoint, e.g. "close of 2026-03"')
    .action(async (options: { reason: string }) => {
      const ledger = await context.open();
      try {
        await ledger.log.integrateAll();
        context.print((await ledger.log.checkpoint(options.reason)).trimEnd());
      } finally {
        await ledger.close();
      }
    });

  program
    .command('proof <eventId>')
    .description('print the inclusion proof of an event in the latest checkpoint')
    .action(async (eventId: string) => {
      const ledger = await context.open();
      try {
        context.print(JSON.stringify(await ledger.log.inclusionProof(eventId), null, 2));
      } finally {
        await ledger.close();
      }
    });

  program
    .command('consistency <fromSize> <toSize>')
    .description('print the consistency proof between two tree sizes (two checkpoints)')
    .action(async (from: string, to: string) => {
      const ledger = await context.open();
      try {
        context.print(JSON.stringify({ from: Number(from), to: Number(to), proof: await ledger.log.consistencyProof(Number(from), Number(to)) }, null, 2));
      } finally {
        await ledger.close();
      }
    });
}
