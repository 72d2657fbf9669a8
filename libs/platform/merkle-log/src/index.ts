export { MerkleLog, InconsistentCheckpointError, type MerkleLogOptions, type LogStatus, type VerifyReport } from './merkle-log';
export { leafBytes, personalCommitment } from './leaf';
