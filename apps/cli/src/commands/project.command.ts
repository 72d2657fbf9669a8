import type { Command } from 'commander';
import type { CliContext } from '../cli-context';

export function projectCommand(program: Command, context: CliContext): void {
  program
    .command('project')
    .description('run the projections in this process until stopped (SIGINT/SIGTERM); use beside API processes started with LEDGER_RUN_PROJECTIONS=false')
    .action(async () => {
      const ledger = await context.open();
      await ledger.runtime.start();
      ledger.log.start((error) => process.stderr.write(`log integrator: ${String(error)}\n`));
      ledger.witnesses.start(15_000, (error) => process.stderr.write(`cosignature collection: ${String(error)}\n`));
      context.print('projecting; stop with Ctrl-C');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await ledger.close();
    });
}
