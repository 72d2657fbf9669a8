import { describeAppendUnits, describeEventStoreContract } from '@doorbraak/event-store-contract';
import { FakeKurrentClient } from './fake-kurrent-client.fixtures';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { withCheckpoints } from './with-checkpoints.fixtures';

// The contract suite against the in-memory model of the server: it checks the adapter's own logic (claims,
// retries, paging, filters) on every run. It does not replace the run against a real server.
describe('KurrentDbEventStore on the in-memory client', () => {
  // The unit specifications PostgreSQL and PGlite pass; units here are multi-stream appends with their claims.
  describe('atomic units of several streams', () => describeAppendUnits(async () => new KurrentDbEventStore(new FakeKurrentClient())));

  describeEventStoreContract({
    async open() {
      const client = new FakeKurrentClient();
      // A real server's log starts with its own events.
      client.system('$epoch-information', '$epoch-information');
      return withCheckpoints(new KurrentDbEventStore(client));
    },
  });
});
