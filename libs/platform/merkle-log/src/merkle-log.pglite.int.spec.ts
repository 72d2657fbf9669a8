import { openPglite, type SqlClient } from '@doorbraak/sql';
import { describeMerkleLog } from './merkle-log.behaviour';

describe('MerkleLog on embedded PGlite', () => {
  let db: SqlClient;
  beforeAll(async () => {
    db = await openPglite('memory://');
  });
  afterAll(() => db.close());
  describeMerkleLog(async () => ({ ...db, close: async () => undefined }));
});
