import { randomBytes } from 'node:crypto';
import { describeEventStoreContract } from '@doorbraak/event-store-contract';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { withCheckpoints } from './with-checkpoints.fixtures';

// Runs only with KURRENTDB_CONNECTION_STRING set (jest.config.js leaves `.kurrentdb.` files out otherwise).
describe('KurrentDbEventStore on a KurrentDB server', () => {
  describeEventStoreContract({
    async open() {
      // A fresh prefix per store gives each test the empty log the contract assumes, on a shared server.
      const store = KurrentDbEventStore.connect(process.env.KURRENTDB_CONNECTION_STRING!, { categoryPrefix: `t${randomBytes(6).toString('hex')}_` });
      return withCheckpoints(store);
    },
  });
});
