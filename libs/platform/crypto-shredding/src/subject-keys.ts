import { EventStoreError } from '@doorbraak/event-store';
import { type Migration, type SqlClient, SqlError } from '@doorbraak/sql';
import { createHash, randomBytes } from 'node:crypto';
import { open, seal } from './aead';

/** The data subject's key was destroyed: nothing personal can be written for it again. */
export class SubjectErasedError extends EventStoreError {
  readonly code = 'PERSONAL_DATA.ERASED';
  constructor(readonly subject: string) {
    super(`the personal data of ${subject} has been erased; no new personal data can be recorded for it`);
  }
}

export const subjectKeysSchema: Migration = {
  id: '0300-subject-keys',
  sql: (s) => `
CREATE TABLE ${s}.subject_keys (
  subject text PRIMARY KEY,
  tenant text NOT NULL,
  master_key_id text NOT NULL,
  wrapped_key bytea,
  created_at timestamptz NOT NULL DEFAULT now(),
  erased_at timestamptz,
  CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
);
`,
};

/** SQLSTATE of an append refused by `sealedForLiveSubjects`. */
const ERASED_STATE = 'LD410';

/**
 * The events table refuses, in the appending statement itself, an event whose personal part is sealed for a
 * subject without a live data key (erased, or never made): a process that remembers a key it was given before
 * another process erased the subject cannot append with it, nor can an append racing the erasure. Needs the event store's `events` table in the same
 * schema (PostgreSQL, PGlite). See ADR 0022.
 */
export const sealedForLiveSubjects: Migration = {
  id: '0301-sealed-for-live-subjects',
  sql: (s) => `
CREATE FUNCTION ${s}.refuse_sealed_for_erased_subject() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- FOR SHARE: an erasure waits for this append's commit, and an append waits for an erasure under way and then
  -- sees the key gone, so no sealed event commits after its subject's key is destroyed.
  IF NOT EXISTS (SELECT 1 FROM ${s}.subject_keys k WHERE k.subject = NEW.metadata->>'subject' AND k.wrapped_key IS NOT NULL FOR SHARE) THEN
    RAISE EXCEPTION 'no live data key for the subject of event %', NEW.event_id USING ERRCODE = '${ERASED_STATE}', DETAIL = coalesce(NEW.metadata->>'subject', '');
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER events_sealed_for_live_subject BEFORE INSERT ON ${s}.events
  FOR EACH ROW WHEN (NEW.data->'personal'->>'sealed' IS NOT NULL) EXECUTE FUNCTION ${s}.refuse_sealed_for_erased_subject();
`,
};

/** The subject whose erasure refused an append (see `sealedForLiveSubjects`), if that is why `error` was thrown. */
export function erasedSubjectOf(error: unknown): string | undefined {
  return error instanceof SqlError && error.sqlState === ERASED_STATE ? (error.detail ?? '') : undefined;
}

/** Sealing keys remembered at most, and for how long (a key is not kept in memory longer than needed). */
const MAX_REMEMBERED = 10_000;
const REMEMBERED_MS = 10 * 60_000;

/** A subject's data key, or the fact that it was destroyed. */
export type SubjectKey = { readonly key: Buffer } | { readonly erased: true };

/**
 * One data key per data subject (a household), wrapped by the master key (envelope encryption) and kept apart
 * from the events. Erasing a subject destroys its wrapped key: its ciphertexts in the immutable log can never be
 * read again, by anyone, from any copy that does not also hold the old key row.
 */
export class SubjectKeyStore {
  private readonly s: string;
  private readonly masterKeyId: string;
  /** Sealing keys handed out recently, least recently used first; only when the store refuses erased subjects. */
  private readonly remembered = new Map<string, { readonly key: Buffer; readonly until: number }>();

  /**
   * @param options.storeRefusesErased the event store refuses a sealed event of an erased subject in its append
   * (`sealedForLiveSubjects` is installed): then sealing keys are remembered, and a write costs no key lookup.
   */
  constructor(
    private readonly client: SqlClient,
    schema: string,
    private readonly masterKey: Buffer,
    private readonly options: { readonly storeRefusesErased?: boolean } = {},
  ) {
    if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
    this.s = schema;
    this.masterKeyId = createHash('sha256').update(masterKey).digest('hex').slice(0, 16);
  }

  /** The subject's key to seal with, made on first use. */
  async keyFor(subject: string, tenant: string): Promise<Buffer> {
    const key = (await this.sealingKeys(new Map([[subject, tenant]]))).get(subject)!;
    if (key instanceof SubjectErasedError) throw key;
    return key;
  }

  /**
   * The keys to seal with for several subjects (subject → tenant), made on first use: remembered keys first, one
   * query for the others. An erased subject maps to its `SubjectErasedError`.
   */
  async sealingKeys(tenants: ReadonlyMap<string, string>): Promise<Map<string, Buffer | SubjectErasedError>> {
    const keys = new Map<string, Buffer | SubjectErasedError>();
    const now = Date.now();
    const unknown: string[] = [];
    for (const subject of tenants.keys()) {
      const remembered = this.remembered.get(subject);
      this.remembered.delete(subject);
      if (remembered && remembered.until > now) {
        // Most recently used last.
        this.remembered.set(subject, remembered);
        keys.set(subject, remembered.key);
      } else {
        unknown.push(subject);
      }
    }
    if (unknown.length === 0) return keys;
    const stored = await this.keysFor(unknown);
    const made = await Promise.all(unknown.filter((subject) => !stored.has(subject)).map(async (subject) => [subject, await this.make(subject, tenants.get(subject)!)] as const));
    for (const [subject, key] of [...stored, ...made]) {
      if ('erased' in key) {
        keys.set(subject, new SubjectErasedError(subject));
        continue;
      }
      keys.set(subject, key.key);
      if (this.options.storeRefusesErased) {
        this.remembered.set(subject, { key: key.key, until: now + REMEMBERED_MS });
        if (this.remembered.size > MAX_REMEMBERED) this.remembered.delete(this.remembered.keys().next().value!);
      }
    }
    return keys;
  }

  /** Forgets a remembered sealing key: its subject was erased. */
  forget(subject: string): void {
    this.remembered.delete(subject);
  }

  private async make(subject: string, tenant: string): Promise<SubjectKey> {
    const fresh = randomBytes(32);
    await this.client.query(
      `INSERT INTO ${this.s}.subject_keys (subject, tenant, master_key_id, wrapped_key) VALUES ($1, $2, $3, $4) ON CONFLICT (subject) DO NOTHING`,
      [subject, tenant, this.masterKeyId, seal(this.masterKey, fresh, subject)],
    );
    // Another writer may have made the key first: everyone uses the stored one.
    return (await this.keysFor([subject])).get(subject)!;
  }

  /** Keys of several subjects in one query; subjects without a key are absent from the map. */
  async keysFor(subjects: readonly string[]): Promise<Map<string, SubjectKey>> {
    if (subjects.length === 0) return new Map();
    const { rows } = await this.client.query<{ subject: string; master_key_id: string; wrapped_key: Uint8Array | null }>(
      `SELECT subject, master_key_id, wrapped_key FROM ${this.s}.subject_keys WHERE subject = ANY($1::text[])`,
      [subjects],
    );
    return new Map(
      rows.map((r): [string, SubjectKey] => {
        if (!r.wrapped_key) return [r.subject, { erased: true }];
        if (r.master_key_id !== this.masterKeyId) throw new Error(`the key of ${r.subject} is wrapped by master key ${r.master_key_id}, not the configured one`);
        return [r.subject, { key: open(this.masterKey, r.wrapped_key, r.subject) }];
      }),
    );
  }

  /**
   * Destroys the subject's key (or records that none may be made). Idempotent.
   * @returns false when it had been destroyed before.
   */
  async erase(subject: string, tenant: string): Promise<boolean> {
    this.forget(subject);
    const { rowCount } = await this.client.query(
      `INSERT INTO ${this.s}.subject_keys AS k (subject, tenant, master_key_id, wrapped_key, erased_at) VALUES ($1, $2, $3, NULL, now())
       ON CONFLICT (subject) DO UPDATE SET wrapped_key = NULL, erased_at = now() WHERE k.erased_at IS NULL`,
      [subject, tenant, this.masterKeyId],
    );
    return rowCount > 0;
  }
}
