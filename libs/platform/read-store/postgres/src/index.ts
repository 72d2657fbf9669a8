export { ProjectionRuntime, LeaseLostError, type ProjectionRuntimeOptions, type GenerationStatus } from './projection-runtime';
