import { EventStoreError } from '@doorbraak/event-store';
import type { Migration, SqlClient } from '@doorbraak/sql';
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

  constructor(
    private readonly client: SqlClient,
    schema: string,
    private readonly masterKey: Buffer,
  ) {
    if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
    this.s = schema;
    this.masterKeyId = createHash('sha256').update(masterKey).digest('hex').slice(0, 16);
  }

  /** The subject's key, made on first use. */
  async keyFor(subject: string, tenant: string): Promise<Buffer> {
    const existing = (await this.keysFor([subject])).get(subject);
    if (existing) return this.usable(subject, existing);
    const fresh = randomBytes(32);
    await this.client.query(
      `INSERT INTO ${this.s}.subject_keys (subject, tenant, master_key_id, wrapped_key) VALUES ($1, $2, $3, $4) ON CONFLICT (subject) DO NOTHING`,
      [subject, tenant, this.masterKeyId, seal(this.masterKey, fresh, subject)],
    );
    // Another writer may have made the key first: everyone uses the stored one.
    return this.usable(subject, (await this.keysFor([subject])).get(subject)!);
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
    const { rowCount } = await this.client.query(
      `INSERT INTO ${this.s}.subject_keys AS k (subject, tenant, master_key_id, wrapped_key, erased_at) VALUES ($1, $2, $3, NULL, now())
       ON CONFLICT (subject) DO UPDATE SET wrapped_key = NULL, erased_at = now() WHERE k.erased_at IS NULL`,
      [subject, tenant, this.masterKeyId],
    );
    return rowCount > 0;
  }

  private usable(subject: string, key: SubjectKey): Buffer {
    if ('erased' in key) throw new SubjectErasedError(subject);
    return key.key;
  }
}
