import { Command } from 'commander';
import type { CliContext } from './cli-context';
import { migrateCommand } from './commands/migrate.command';
import { projectionsCommand } from './commands/projections.command';
import { rebuildCommand } from './commands/rebuild.command';
import { tailCommand } from './commands/tail.command';
import { exportCommand } from './commands/export.command';
import { importCommand } from './commands/import.command';
import { reportCommand } from './commands/report.command';
import { projectCommand } from './commands/project.command';
import { verifyCommands } from './commands/verify.command';
import { tokenCommand } from './commands/token.command';
import { witnessCommand } from './commands/witness.command';
import { witnessesCommand } from './commands/witnesses.command';

export function buildProgram(context: CliContext): Command {
  const program = new Command('ledger')
    .description('Doorbraak Ledger operations. Uses DATABASE_URL when set, else the embedded store in LEDGER_DATA_DIR (./data).')
    .showHelpAfterError()
    .exitOverride();
  for (const register of [migrateCommand, importCommand, exportCommand, reportCommand, projectCommand, verifyCommands, rebuildCommand, tailCommand, projectionsCommand, tokenCommand, witnessCommand, witnessesCommand]) register(program, context);
  return program;
}
