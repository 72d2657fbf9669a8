export { ProjectionRuntime, LeaseLostError, type ProjectionRuntimeOptions, type GenerationStatus, type ChangeRecord } from './projection-runtime';
