import { startApi } from './ledger-harness';
import { describeReadModels } from './read-models.behaviour';

describe('read models on the embedded store', () => {
  describeReadModels(() => startApi());
});
