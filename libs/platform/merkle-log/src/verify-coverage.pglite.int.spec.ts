import { openPglite } from '@doorbraak/sql';
import { describeVerifyCoverage } from './verify-coverage.behaviour';

describe('what ledger verify covers, on embedded PGlite', () => {
  describeVerifyCoverage(async () => openPglite('memory://'));
});
