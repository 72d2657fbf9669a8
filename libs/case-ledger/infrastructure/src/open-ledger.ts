import type { LedgerConfig } from '@doorbraak/config';
import type { PersonalDataShredder } from '@doorbraak/application';
import type { EventStore } from '@doorbraak/event-store';
import { KurrentDbEventStore } from '@doorbraak/event-store-kurrentdb';
import { PostgresEventStore } from '@doorbraak/event-store-postgres';
import { ProjectionRuntime } from '@doorbraak/projection-runtime';
import { CosignatureCollector, MerkleLog } from '@doorbraak/merkle-log';
import { ShreddingEventStore, SubjectKeyStore, sealedForLiveSubjects, subjectKeysSchema } from '@doorbraak/crypto-shredding';
import { checkpointSigner } from './checkpoint-signer';
import { allProjections } from '@doorbraak/projections';
import { type SqlClient, connectPostgres, migrate, openPglite } from '@doorbraak/sql';
import { mkdirSync } from 'node:fs';
import { lockEmbeddedStore } from './embedded-lock';
import { masterKey } from './secrets';

/** The ledger's storage, wired: the event store, its database and the projection runtime. */
export interface Ledger {
  /** Where events live; read models, projections and the Merkle log are always in PostgreSQL (or PGlite). */
  readonly backend: 'postgres' | 'embedded' | 'kurrentdb';
  readonly client: SqlClient;
  /** The database schema of the ledger's tables. */
  readonly schema: string;
  /** Seals and opens the personal part of events with the household's data key (see `keys`). */
  readonly store: EventStore;
  /** Households' data keys; erasing one destroys its key. */
  readonly keys: SubjectKeyStore;
  /** Erasure: destroys a household's key and the salts of its events' commitments in the log. */
  readonly shredder: PersonalDataShredder;
  readonly runtime: ProjectionRuntime;
  /** The verifiable log over all events: integrator, checkpoints, proofs. */
  readonly log: MerkleLog;
  /** Collects the configured witnesses' cosignatures of each checkpoint (LEDGER_WITNESSES). */
  readonly witnesses: CosignatureCollector;
  /** Verifier key of the checkpoint signer, for auditors; undefined when no key is configured. */
  readonly vkey: string | undefined;
  /** Brings the schema up to date; resolves to the migrations it applied (none when it was current). */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

export interface OpenLedgerOptions {
  readonly onProjectionError?: (error: unknown, projection: string) => void;
}

/**
 * Connects (PostgreSQL when DATABASE_URL is set, else the embedded store; events in KurrentDB when
 * LEDGER_EVENT_STORE=kurrentdb) and brings the schema up to date.
 */
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
  const kurrent = config.LEDGER_EVENT_STORE === 'kurrentdb' ? KurrentDbEventStore.connect(config.KURRENTDB_CONNECTION_STRING!) : undefined;
  const postgresEvents = kurrent ? undefined : new PostgresEventStore({ client, schema: config.LEDGER_DB_SCHEMA });
  // Events in PostgreSQL refuse a sealed event of an erased household in the append itself, so sealing keys can
  // be remembered; KurrentDB cannot, so there every write looks its key up (ADR 0022).
  const keys = new SubjectKeyStore(client, config.LEDGER_DB_SCHEMA, masterKey(config), { storeRefusesErased: !kurrent });
  const shredding = new ShreddingEventStore(kurrent ?? postgresEvents!, keys);
  const store: EventStore = shredding;
  // Projections read the log with personal parts sealed; only those that read them get them opened.
  const runtime = new ProjectionRuntime({
    store: kurrent ?? postgresEvents!,
    personal: shredding,
    client,
    schema: config.LEDGER_DB_SCHEMA,
    projections: allProjections,
    batchSize: config.LEDGER_PROJECTION_BATCH_SIZE,
    ...(options.onProjectionError ? { onError: options.onProjectionError } : {}),
  });
  const signer = checkpointSigner(config);
  const log = new MerkleLog({ store, client, schema: config.LEDGER_DB_SCHEMA, origin: config.LEDGER_LOG_ORIGIN, ...(signer ? { signer: signer.signer, vkey: signer.vkey } : {}) });
  const witnesses = new CosignatureCollector({ log, client, schema: config.LEDGER_DB_SCHEMA, witnesses: config.LEDGER_WITNESSES });
  // A new checkpoint goes to the witnesses at once; one that is down is retried later and delays nothing.
  log.onCheckpoint(() => void witnesses.collect().catch(() => undefined));
  const migrateAll = async () => [
    ...((await postgresEvents?.migrate()) ?? []),
    ...(await migrate(client, config.LEDGER_DB_SCHEMA, kurrent ? [subjectKeysSchema] : [subjectKeysSchema, sealedForLiveSubjects])),
    ...(await runtime.migrate()),
    ...(await log.migrate()),
  ];
  try {
    await migrateAll();
  } catch (error) {
    await kurrent?.close();
    await client.close();
    release();
    throw error;
  }
  return {
    backend: kurrent ? 'kurrentdb' : config.DATABASE_URL ? 'postgres' : 'embedded',
    client,
    schema: config.LEDGER_DB_SCHEMA,
    store,
    keys,
    shredder: {
      async shred(householdId, tenant, sealedEventIds) {
        await keys.erase(householdId, tenant);
        await log.forgetSalts(await sealedEventIds());
      },
    },
    runtime,
    log,
    witnesses,
    vkey: signer?.vkey,
    migrate: migrateAll,
    async close() {
      await runtime.stop();
      await log.stop();
      await witnesses.stop();
      // The PostgreSQL store closes the client it shares with the read side; KurrentDB leaves it to us.
      await store.close();
      if (kurrent) await client.close();
      release();
    },
  };
}
