export { ProjectionRuntime, LeaseLostError, type ProjectionRuntimeOptions, type GenerationStatus, type ChangeRecord, type PersonalParts } from './projection-runtime';
