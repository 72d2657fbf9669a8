export { FileWitnessStore } from './file-store';
export { formatAddCheckpoint, parseAddCheckpoint, witnessServer } from './http';
export {
  Witness,
  cosign,
  cosignatureKeyHash,
  type AddCheckpointRequest,
  type AddCheckpointResult,
  type CosignedState,
  type ForkEvidence,
  type WitnessStore,
} from './witness';
export { checkWitnessPolicy, parseWitnessVkey, witnessVkey, type WitnessKey } from './policy';
