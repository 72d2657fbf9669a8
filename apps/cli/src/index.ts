export { buildProgram } from './program';
export type { CliContext } from './cli-context';
export { importJsonSchema } from './commands/export.command';
