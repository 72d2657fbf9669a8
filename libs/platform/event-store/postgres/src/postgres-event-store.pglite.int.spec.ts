import { describeAppendUnits, describeEventStoreContract } from '@doorbraak/event-store-contract';
import { openPglite, type SqlClient } from '@doorbraak/sql';
import { uniqueSchema } from '@doorbraak/testing';
import { describeGroupCommit } from './group-commit.behaviour';
import { PostgresEventStore } from './postgres-event-store';

describe('PostgresEventStore on embedded PGlite', () => {
  let db: SqlClient;
  beforeAll(async () => {
    db = await openPglite('memory://');
  });
  afterAll(() => db.close());

  const open = async () => {
    // Stores share the one PGlite instance (slow to boot) and keep apart by schema; closing one leaves it open.
    const store = new PostgresEventStore({ client: { ...db, close: async () => undefined }, schema: uniqueSchema('es') });
    await store.migrate();
    return store;
  };
  describe('group commit', () => describeGroupCommit(open));
  describe('atomic units of several streams', () => describeAppendUnits(open, { oneCommitPerUnit: true }));

  describeEventStoreContract({ open });
});
