import { ConfigError, loadConfig } from '@doorbraak/config';
import { openLedger } from '@doorbraak/ledger-infrastructure';
import { createLogger } from '@doorbraak/logging';
import { createApp } from './app';
import { apiConfigSchema } from './config';

async function main(): Promise<void> {
  const config = loadConfig(apiConfigSchema, process.env);
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'ledger-api' });
  const ledger = await openLedger(config, {
    onProjectionError: (err, projection) => logger.error({ err, projection }, 'projection runner failed; it will restart'),
  });
  if (config.LEDGER_RUN_PROJECTIONS) {
    await ledger.runtime.start();
    ledger.log.start((err) => logger.error({ err }, 'log integrator failed; it will retry'));
    ledger.witnesses.start(15_000, (err) => logger.error({ err }, 'cosignature collection failed; it will retry'));
    if (config.LEDGER_CHECKPOINT_EVERY_MINUTES > 0 && ledger.vkey) {
      setInterval(() => {
        ledger.log.checkpoint('scheduled').then(
          (note) => logger.info({ checkpoint: note.split('\n').slice(0, 2).join(' ') }, 'checkpoint signed'),
          (err: unknown) => logger.error({ err }, 'checkpoint not signed'),
        );
      }, config.LEDGER_CHECKPOINT_EVERY_MINUTES * 60_000).unref();
    }
  }
  const app = await createApp(ledger, config, logger);
  await app.listen({ port: config.PORT, host: config.HOST });
  logger.info(
    { url: `http://${config.HOST}:${config.PORT}/v1/health`, backend: ledger.backend, projections: config.LEDGER_RUN_PROJECTIONS },
    'ledger API listening',
  );
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await app.close();
    await ledger.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `ledger API failed to start: ${String((error as Error)?.message ?? error)}`}\n`);
  process.exit(1);
});
