import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { progressBar } from '../progress-bar';

export function rebuildCommand(program: Command, context: CliContext): void {
  program
    .command('rebuild <projection>')
    .description('rebuild a projection from the start of the log; the current rows keep serving until it is live')
    .action(async (name: string) => {
      const ledger = await context.open();
      try {
        const started = await ledger.runtime.rebuild(name);
        const total = started.lag;
        const bar = progressBar(`${name} g${started.generation}`);
        const t0 = Date.now();
        bar.update(0, total);
        await ledger.runtime.runUntilLive(name, (status) => bar.update(status.eventsApplied, status.eventsApplied + status.lag));
        bar.update(total, total);
        bar.end();
        const seconds = (Date.now() - t0) / 1000;
        context.print(`${name} generation ${started.generation} is live: ${total} events in ${seconds.toFixed(2)} s`);
      } finally {
        await ledger.close();
      }
    });
}
