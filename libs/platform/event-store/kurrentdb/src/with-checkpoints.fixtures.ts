import { type CheckpointStore, type EventStore, type LogPosition, START } from '@doorbraak/event-store';

/**
 * The store with in-memory compare-and-set checkpoints. In production checkpoints live in PostgreSQL next to the
 * read models; the contract's checkpoint case only needs a stand-in.
 */
export function withCheckpoints(store: EventStore): EventStore & CheckpointStore {
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
