import { type LogPosition, START, catchUp, parseLogPosition } from '@doorbraak/event-store';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';

const list = (value: string, previous: string[] = []) => [...previous, value];

export function tailCommand(program: Command, context: CliContext): void {
  program
    .command('tail')
    .description('print events as JSON lines, live, from a log position')
    .option('--from <position>', '"start", "end" (default) or a log position', 'end')
    .option('--category <category>', 'only this stream category (repeatable)', list)
    .option('--type <type>', 'only this event type (repeatable)', list)
    .option('--no-follow', 'stop at the current end of the log')
    .action(async (options: { from: string; category?: string[]; type?: string[]; follow: boolean }) => {
      const ledger = await context.open();
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      try {
        const from: LogPosition =
          options.from === 'start' ? START : options.from === 'end' ? await ledger.store.head() : parseLogPosition(options.from);
        await catchUp({
          store: ledger.store,
          from,
          signal: controller.signal,
          filter: { ...(options.category ? { categories: options.category } : {}), ...(options.type ? { types: options.type } : {}) },
          handle: async (page) => {
            for (const e of page.events) {
              context.print(
                JSON.stringify({
                  logPosition: e.logPosition,
                  globalPosition: e.globalPosition.toString(),
                  streamId: e.streamId,
                  streamVersion: e.streamVersion.toString(),
                  type: e.type,
                  schemaVersion: e.schemaVersion,
                  recordedAt: e.recordedAt.toISOString(),
                  metadata: e.metadata,
                  data: e.data,
                }),
              );
            }
          },
          onCaughtUp: async () => {
            if (!options.follow) controller.abort();
          },
        });
      } finally {
        process.off('SIGINT', stop);
        await ledger.close();
      }
    });
}
