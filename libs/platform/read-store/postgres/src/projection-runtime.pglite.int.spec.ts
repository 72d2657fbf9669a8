import { openPglite, type SqlClient } from '@doorbraak/sql';
import { describeProjectionRuntime } from './projection-runtime.behaviour';

describe('ProjectionRuntime on embedded PGlite', () => {
  let db: SqlClient;
  beforeAll(async () => {
    db = await openPglite('memory://');
  });
  afterAll(() => db.close());

  // One PGlite instance (slow to boot) for the file; every test gets its own schema.
  describeProjectionRuntime(async () => ({ ...db, close: async () => undefined }));
});
