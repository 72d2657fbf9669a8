export { MerkleLog, InconsistentCheckpointError, type MerkleLogOptions, type LogStatus, type VerifyReport } from './merkle-log';
export { leafBytes, personalCommitment } from './leaf';
export { CosignatureCollector, type CosignatureCollectorOptions, type WitnessEndpoint, type WitnessStatus } from './cosignatures';
