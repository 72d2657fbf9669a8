import { describeErasure } from './erasure.behaviour';
import { startApi } from './ledger-harness';

describe('erasure on the embedded store', () => {
  describeErasure(
    (logs) => startApi({ logs }),
    // The embedded store has no pg_dump: every row of every table of the ledger's schema, as text.
    async (ledger) => {
      const { rows: tables } = await ledger.client.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`, [ledger.schema]);
      const dumped: string[] = [];
      for (const { name } of tables) {
        const { rows } = await ledger.client.query<{ row: string }>(`SELECT t::text AS row FROM ${ledger.schema}.${name} t`);
        dumped.push(...rows.map((r) => r.row));
      }
      return dumped.join('\n');
    },
  );
});
