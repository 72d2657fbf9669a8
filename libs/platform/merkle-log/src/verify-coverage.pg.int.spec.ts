import { connectPostgres } from '@doorbraak/sql';
import { postgresUrl } from '@doorbraak/testing';
import { describeVerifyCoverage } from './verify-coverage.behaviour';

describe('what ledger verify covers, on PostgreSQL', () => {
  describeVerifyCoverage(async () => connectPostgres({ connectionString: postgresUrl() }));
});
