import type { LedgerConfig } from '@doorbraak/config';
import { PostgresEventStore } from '@doorbraak/event-store-postgres';
import { ProjectionRuntime } from '@doorbraak/projection-runtime';
import { MerkleLog } from '@doorbraak/merkle-log';
import { checkpointSigner } from './checkpoint-signer';
import { allProjections } from '@doorbraak/projections';
import { type SqlClient, connectPostgres, openPglite } from '@doorbraak/sql';
import { mkdirSync } from 'node:fs';
import { lockEmbeddedStore } from './embedded-lock';

/** The ledger's storage, wired: the event store, its database and the projection runtime. */
export interface Ledger {
  readonly backend: 'postgres' | 'embedded';
  readonly client: SqlClient;
  readonly store: PostgresEventStore;
  readonly runtime: ProjectionRuntime;
  /** The verifiable log over all events: integrator, checkpoints, proofs. */
  readonly log: MerkleLog;
  /** Verifier key of the checkpoint signer, for auditors; undefined when no key is configured. */
  readonly vkey: string | undefined;
  /** Brings the schema up to date; resolves to the migrations it applied (none when it was current). */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

export interface OpenLedgerOptions {
  readonly onProjectionError?: (error: unknown, projection: string) => void;
}

/** Connects (PostgreSQL when DATABASE_URL is set, else the embedded store) and brings the schema up to date. */
export async function openLedger(config: LedgerConfig, options: OpenLedgerOptions = {}): Promise<Ledger> {
  let client: SqlClient;
  let release = () => undefined as void;
  if (config.DATABASE_URL) {
    client = connectPostgres({ connectionString: config.DATABASE_URL, maxConnections: config.LEDGER_DB_POOL_SIZE });
  } else {
    mkdirSync(config.LEDGER_DATA_DIR, { recursive: true });
    release = lockEmbeddedStore(config.LEDGER_DATA_DIR);
    client = await openPglite(config.LEDGER_DATA_DIR).catch((error: unknown) => {
      release();
      throw error;
    });
  }
  const store = new PostgresEventStore({ client, schema: config.LEDGER_DB_SCHEMA });
  const runtime = new ProjectionRuntime({
    store,
    client,
    schema: config.LEDGER_DB_SCHEMA,
    projections: allProjections,
    batchSize: config.LEDGER_PROJECTION_BATCH_SIZE,
    ...(options.onProjectionError ? { onError: options.onProjectionError } : {}),
  });
  const signer = checkpointSigner(config);
  const log = new MerkleLog({ store, client, schema: config.LEDGER_DB_SCHEMA, origin: config.LEDGER_LOG_ORIGIN, ...(signer ? { signer: signer.signer, vkey: signer.vkey } : {}) });
  const migrateAll = async () => [...(await store.migrate()), ...(await runtime.migrate()), ...(await log.migrate())];
  try {
    await migrateAll();
  } catch (error) {
    await client.close();
    release();
    throw error;
  }
  return {
    backend: config.DATABASE_URL ? 'postgres' : 'embedded',
    client,
    store,
    runtime,
    log,
    vkey: signer?.vkey,
    migrate: migrateAll,
    async close() {
      await runtime.stop();
      await log.stop();
      await store.close();
      release();
    },
  };
}
