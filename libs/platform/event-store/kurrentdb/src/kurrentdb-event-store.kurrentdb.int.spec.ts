import { randomBytes } from 'node:crypto';
import { type CheckpointStore, type EventStore, type LogPosition, START } from '@doorbraak/event-store';
import { describeEventStoreContract } from '@doorbraak/event-store-contract';
import { KurrentDbEventStore } from './kurrentdb-event-store';

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

/** Checkpoints live in PostgreSQL in production; the contract's compare-and-set check only needs a stand-in. */
function withCheckpoints(store: EventStore): EventStore & CheckpointStore {
  const checkpoints = new Map<string, LogPosition>();
  return Object.assign(Object.create(store) as EventStore, {
    async load(consumer: string) {
      return checkpoints.get(consumer) ?? START;
    },
    async save(consumer: string, expected: LogPosition, next: LogPosition) {
      if ((checkpoints.get(consumer) ?? START) !== expected) return false;
      checkpoints.set(consumer, next);
      return true;
    },
  });
}
