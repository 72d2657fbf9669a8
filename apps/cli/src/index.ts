export { buildProgram } from './program';
export type { CliContext } from './cli-context';
