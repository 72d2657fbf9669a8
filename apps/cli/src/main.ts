import { ConfigError, loadConfig } from '@doorbraak/config';
import { CommanderError } from 'commander';
import { cliContext } from './cli-context';
import { cliConfigSchema } from './config';
import { buildProgram } from './program';

buildProgram(cliContext(loadConfigOrExit()))
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    process.stderr.write(`ledger: ${String((error as Error)?.message ?? error)}\n`);
    process.exit(1);
  });

function loadConfigOrExit() {
  try {
    return loadConfig(cliConfigSchema, process.env);
  } catch (error) {
    process.stderr.write(`ledger: ${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
