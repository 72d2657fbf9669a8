import { startApi } from './ledger-harness';
import { describeWitnessedCheckpoints } from './witnessed-checkpoints.behaviour';

describe('witnessed checkpoints on the embedded store', () => {
  describeWitnessedCheckpoints((env) => startApi({ env }));
});
