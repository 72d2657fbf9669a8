import { describeAppendUnits, describeEventStoreContract } from '@doorbraak/event-store-contract';
import { connectPostgres } from '@doorbraak/sql';
import { postgresUrl, uniqueSchema } from '@doorbraak/testing';
import { Client } from 'pg';
import { describeGroupCommit } from './group-commit.behaviour';
import { PostgresEventStore } from './postgres-event-store';

describe('PostgresEventStore on PostgreSQL', () => {
  const open = async () => {
    const store = new PostgresEventStore({ client: connectPostgres({ connectionString: postgresUrl(), maxConnections: 40 }), schema: uniqueSchema('es') });
    await store.migrate();
    return store;
  };
  describe('group commit', () => describeGroupCommit(open));
  describe('atomic units of several streams', () => describeAppendUnits(open, { oneCommitPerUnit: true }));

  describeEventStoreContract({
    open,
    async holdAppend(store, streamId, events) {
      const { schema } = store as PostgresEventStore;
      const client = new Client({ connectionString: postgresUrl() });
      await client.connect();
      await client.query('BEGIN');
      await client.query(`SELECT * FROM ${schema}.append_events($1, 'any', $2::jsonb)`, [streamId, JSON.stringify(events)]);
      return {
        async commit() {
          await client.query('COMMIT');
          await client.end();
        },
      };
    },
  });
});
