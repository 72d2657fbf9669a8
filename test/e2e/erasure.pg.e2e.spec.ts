import { postgresUrl, uniqueSchema } from '@doorbraak/testing';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describeErasure } from './erasure.behaviour';
import { startApi } from './ledger-harness';

const pgDump = ['/usr/lib/postgresql/15/bin/pg_dump', 'pg_dump'].find((p) => !p.includes('/') || existsSync(p))!;

describe('erasure on PostgreSQL', () => {
  const schema = uniqueSchema('erasure');
  describeErasure(
    (logs) => startApi({ databaseUrl: postgresUrl(), schema, logs }),
    // pg_dump of the ledger's schema: the test server is shared with other tests, each in a schema of its own.
    async () => execFileSync(pgDump, ['--schema', schema, '--no-owner', postgresUrl()], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 }),
  );
});
