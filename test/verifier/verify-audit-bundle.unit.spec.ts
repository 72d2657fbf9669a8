import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { canonicalJson, consistencyProof, generateSigningKey, leafHash, rootFromLeafHashes, signCheckpoint } from '@doorbraak/merkle';

const VERIFIER = join(__dirname, '..', '..', 'infra', 'verifier', 'verify-audit-bundle.mjs');
// In CI the shared folder sits beside the repository root.
const VECTORS = join(__dirname, '..', 'fixtures', 'rfc6962-testvectors');

type Verification = { ok: true } | { ok: false; reason: string };

interface BundleResult {
  ok: boolean;
  check?: number;
  message?: string;
  line?: number;
  logIndex?: number;
  eventId?: string;
  size?: number;
  checks: { check: number; name: string; detail: string }[];
}

interface Verifier {
  verifyInclusion(index: number, size: number, leaf: Buffer, proof: Buffer[], root: Buffer): Verification;
  verifyConsistency(size1: number, size2: number, proof: Buffer[], root1: Buffer, root2: Buffer): Verification;
  canonicalJson(value: unknown): string;
  parseVerifierKey(vkey: string): { name: string };
  verifyBundle(dir: string, options?: { key?: string }): BundleResult;
  keyFingerprint(vkey: string): string;
}

// TypeScript compiles import() to require() under CommonJS, which cannot load an ES module; a Function keeps it native.
const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<Verifier>;

let verifier: Verifier;
beforeAll(async () => {
  verifier = await importModule(pathToFileURL(VERIFIER).href);
});

function vectorFiles(kind: 'inclusion' | 'consistency'): string[] {
  return readdirSync(join(VECTORS, kind), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json'))
    .map((file) => join(kind, file))
    .sort();
}

const readVector = (file: string) => JSON.parse(readFileSync(join(VECTORS, file), 'utf8'));
const b64 = (text: string): Buffer => Buffer.from(text, 'base64');

describe('the standalone verifier on the transparency-dev vectors', () => {
  const inclusionFiles = vectorFiles('inclusion');
  const consistencyFiles = vectorFiles('consistency');

  it('finds all 196 vector files', () => {
    expect(inclusionFiles.length + consistencyFiles.length).toBe(196);
  });

  it.each(inclusionFiles)('%s yields its wantErr', (file) => {
    const v = readVector(file);
    const result = verifier.verifyInclusion(v.leafIdx, v.treeSize, b64(v.leafHash), (v.proof ?? []).map(b64), b64(v.root));
    expect({ err: !result.ok }).toEqual({ err: v.wantErr });
  });

  it.each(consistencyFiles)('%s yields its wantErr', (file) => {
    const v = readVector(file);
    const result = verifier.verifyConsistency(v.size1, v.size2, (v.proof ?? []).map(b64), b64(v.root1), b64(v.root2));
    expect({ err: !result.ok }).toEqual({ err: v.wantErr });
  });
});

interface Entry {
  logIndex: number;
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  [field: string]: unknown;
}

const ORIGIN = 'ledger.zwolle.example/doorbraak';
const key = generateSigningKey('ledger.zwolle.example');
const signer = { name: key.name, privateKey: key.privateKey };
const STREAMS = ['plan-3f1c', 'plan-77ab', 'household-09de', 'budget-2025'];

function makeEntries(count: number, skipVersionAt = -1): Entry[] {
  const versions = new Map<string, number>();
  return Array.from({ length: count }, (_, logIndex) => {
    const streamId = STREAMS[(logIndex * 7) % 5 === 4 ? 3 : logIndex % 3]!;
    const version = (versions.get(streamId) ?? 0) + (logIndex === skipVersionAt ? 2 : 1);
    versions.set(streamId, version);
    return {
      v: 1,
      logIndex,
      eventId: `0190f7a2-0000-7000-8000-${String(logIndex).padStart(12, '0')}`,
      streamId,
      streamVersion: version,
      type: ['PlanDrafted', 'CostLineAdded', 'DecisionRecorded'][logIndex % 3]!,
      occurredAt: `2025-03-${String(1 + (logIndex % 28)).padStart(2, '0')}T09:00:00Z`,
      actor: { pseudonymId: `p-${logIndex % 4}`, namens: 'Wethouder Sociaal Domein' },
      facts: { amountCents: 105232 * (logIndex + 1), note: 'maatwerk – €, ü, 😀' },
    };
  });
}

const linesOf = (entries: readonly Entry[]): string[] => entries.map((entry) => canonicalJson(entry));
const rootOf = (lines: readonly string[]): Buffer => rootFromLeafHashes(lines.map((line) => leafHash(line)));
const sign = (lines: readonly string[]): string => signCheckpoint({ origin: ORIGIN, size: lines.length, root: rootOf(lines) }, signer);

interface Bundle {
  checkpoint: string;
  lines: string[];
  /** The key in public-key.txt; the ledger's own unless the bundle was re-keyed. */
  vkey?: string;
  previous?: { checkpoint: string; proof: { size1: number; size2: number; proof: string[] } };
  entriesText?: string;
}

const HONEST = linesOf(makeEntries(50));
const PREVIOUS_SIZE = 30;

/** The honest bundle of a period that closed at 50 entries, after a previous period that closed at 30. */
function honestBundle(lines = HONEST): Bundle {
  const hashes = lines.map((line) => leafHash(line));
  return {
    checkpoint: sign(lines),
    lines: [...lines],
    previous: {
      checkpoint: sign(lines.slice(0, PREVIOUS_SIZE)),
      proof: {
        size1: PREVIOUS_SIZE,
        size2: lines.length,
        proof: consistencyProof(PREVIOUS_SIZE, hashes).map((hash) => hash.toString('base64')),
      },
    },
  };
}

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function writeBundle(bundle: Bundle): string {
  const dir = mkdtempSync(join(tmpdir(), 'audit-bundle-'));
  tempDirs.push(dir);
  writeFileSync(join(dir, 'checkpoint.txt'), bundle.checkpoint);
  writeFileSync(join(dir, 'public-key.txt'), `${bundle.vkey ?? key.vkey}\n`);
  writeFileSync(join(dir, 'entries.jsonl'), bundle.entriesText ?? bundle.lines.map((line) => `${line}\n`).join(''));
  if (bundle.previous) {
    writeFileSync(join(dir, 'previous-checkpoint.txt'), bundle.previous.checkpoint);
    writeFileSync(join(dir, 'consistency-proof.json'), JSON.stringify(bundle.previous.proof));
  }
  return dir;
}

const verify = (bundle: Bundle): BundleResult => verifier.verifyBundle(writeBundle(bundle));
const eventIdAt = (logIndex: number): string => JSON.parse(HONEST[logIndex]!).eventId;

function changeByte(line: string, from: string, to: string): string {
  const bytes = Buffer.from(line, 'utf8');
  const at = bytes.indexOf(from);
  if (at < 0) throw new Error(`${from} does not occur in ${line}`);
  bytes[at] = to.charCodeAt(0);
  return bytes.toString('utf8');
}

describe('verifyBundle', () => {
  it('accepts an honest bundle, passing all seven checks', () => {
    const result = verify(honestBundle());
    expect(result).toMatchObject({ ok: true, size: 50 });
    expect(result.checks.map((c) => c.check)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('accepts the first period, which has no previous checkpoint', () => {
    expect(verify({ ...honestBundle(), previous: undefined })).toMatchObject({ ok: true });
  });

  it('accepts a file whose last line has no newline, and an empty log', () => {
    expect(verify({ ...honestBundle(), entriesText: HONEST.join('\n') }).ok).toBe(true);
    expect(verify({ checkpoint: sign([]), lines: [] })).toMatchObject({ ok: true, size: 0 });
  });

  it('detects one byte changed inside a value after the previous period, and narrows it to this period', () => {
    const bundle = honestBundle();
    bundle.lines[37] = changeByte(bundle.lines[37]!, 'Wethouder', 'w');
    const result = verify(bundle);
    expect(result).toMatchObject({ ok: false, check: 5 });
    expect(result.message).toMatch(/not the signed root/);
    expect(result.message).toMatch(/first 30 entries still match the previous checkpoint, so the difference lies in logIndex 30 to 49/);
  });

  it('detects one byte changed inside a value of the previous period, and says so', () => {
    const bundle = honestBundle();
    bundle.lines[12] = changeByte(bundle.lines[12]!, 'maatwerk', 'M');
    const result = verify(bundle);
    expect(result).toMatchObject({ ok: false, check: 5 });
    expect(result.message).toMatch(/first 30 entries do not match the previous checkpoint either, so at least one difference lies in logIndex 0 to 29/);
  });

  it('names the entry when the changed byte is its logIndex', () => {
    const bundle = honestBundle();
    bundle.lines[23] = bundle.lines[23]!.replace('"logIndex":23', '"logIndex":28');
    expect(verify(bundle)).toMatchObject({ ok: false, check: 3, line: 24, logIndex: 28, eventId: eventIdAt(23) });
  });

  it('names the entry when the changed byte breaks its JSON', () => {
    const bundle = honestBundle();
    bundle.lines[8] = changeByte(bundle.lines[8]!, ':', ';');
    const result = verify(bundle);
    expect(result).toMatchObject({ ok: false, check: 2, line: 9 });
    expect(result.message).toMatch(/^entries\.jsonl line 9 is not valid JSON/);
  });

  it('detects a deleted entry at the line where it is missing', () => {
    const bundle = honestBundle();
    bundle.lines.splice(20, 1);
    const result = verify(bundle);
    expect(result).toMatchObject({ ok: false, check: 3, line: 21, logIndex: 21, eventId: eventIdAt(21) });
    expect(result.message).toMatch(/the entry with logIndex 20 is missing or out of order/);
  });

  it('detects two swapped entries at the first of them', () => {
    const bundle = honestBundle();
    [bundle.lines[10], bundle.lines[11]] = [bundle.lines[11]!, bundle.lines[10]!];
    const result = verify(bundle);
    expect(result).toMatchObject({ ok: false, check: 3, line: 11, logIndex: 11, eventId: eventIdAt(11) });
    expect(result.message).toMatch(/has logIndex 11 where 10 was expected/);
  });

  it('detects a truncated tail when the checkpoint size is kept', () => {
    const bundle = honestBundle();
    bundle.lines.splice(45);
    const result = verify(bundle);
    expect(result).toMatchObject({ ok: false, check: 4, logIndex: 45 });
    expect(result.message).toMatch(/has 45 entries but the checkpoint commits to 50: the entries with logIndex 45 to 49 are missing/);
  });

  it('detects a forged entry inserted with a copied logIndex, at the line after it', () => {
    const bundle = honestBundle();
    const forged = { ...JSON.parse(HONEST[25]!), eventId: 'forged-0001', facts: { amountCents: 1 } };
    bundle.lines.splice(26, 0, canonicalJson(forged));
    const result = verify(bundle);
    expect(result).toMatchObject({ ok: false, check: 3, line: 27, logIndex: 25, eventId: 'forged-0001' });
    expect(result.message).toMatch(/line 26 already has logIndex 25, so an entry was inserted, repeated or moved here/);
  });

  it('detects a forged entry inserted with the following entries renumbered', () => {
    const entries = makeEntries(50);
    const forged = { ...entries[40]!, eventId: 'forged-0002', streamId: 'plan-forged', streamVersion: 1 };
    const renumbered = [...entries.slice(0, 40), forged, ...entries.slice(40)].map((entry, logIndex) => ({ ...entry, logIndex }));
    const result = verify({ ...honestBundle(), lines: linesOf(renumbered) });
    expect(result).toMatchObject({ ok: false, check: 4, logIndex: 50 });
    expect(result.message).toMatch(/has 51 entries but the checkpoint commits to 50/);
  });

  it('detects a forged entry inserted with the rest renumbered and the last entry dropped to keep the size', () => {
    const entries = makeEntries(50);
    const forged = { ...entries[40]!, eventId: 'forged-0003', streamId: 'plan-forged', streamVersion: 1 };
    const rewritten = [...entries.slice(0, 40), forged, ...entries.slice(40, 49)].map((entry, logIndex) => ({ ...entry, logIndex }));
    const result = verify({ ...honestBundle(), lines: linesOf(rewritten) });
    expect(result).toMatchObject({ ok: false, check: 5 });
    expect(result.message).toMatch(/the difference lies in logIndex 30 to 49/);
  });

  it('names a line that gained a Windows line ending', () => {
    const bundle = honestBundle();
    bundle.lines[2] = `${bundle.lines[2]}\r`;
    const result = verify(bundle);
    expect(result).toMatchObject({ ok: false, check: 2, line: 3, logIndex: 2 });
    expect(result.message).toMatch(/carriage return/);
  });

  it('rejects a line that is valid JSON but not canonical, naming it', () => {
    const bundle = honestBundle();
    const entry = JSON.parse(HONEST[17]!);
    bundle.lines[17] = JSON.stringify(Object.fromEntries(Object.entries(entry).reverse()));
    const result = verify(bundle);
    expect(result).toMatchObject({ ok: false, check: 2, line: 18, logIndex: 17, eventId: eventIdAt(17) });
    expect(result.message).toMatch(/is not canonical JSON \(RFC 8785\)/);
  });

  it('rejects a line with whitespace a canonical form does not have', () => {
    const bundle = honestBundle();
    bundle.lines[3] = bundle.lines[3]!.replace('"v":1', '"v": 1');
    expect(verify(bundle)).toMatchObject({ ok: false, check: 2, line: 4, logIndex: 3 });
  });

  it('rejects an entry without a required field', () => {
    const bundle = honestBundle();
    const { streamId: _dropped, ...rest } = JSON.parse(HONEST[5]!);
    bundle.lines[5] = canonicalJson(rest);
    const result = verify(bundle);
    expect(result).toMatchObject({ ok: false, check: 2, line: 6, eventId: eventIdAt(5) });
    expect(result.message).toMatch(/has no streamId string/);
  });

  it('rejects a tampered checkpoint signature', () => {
    const bundle = honestBundle();
    const [body, signatureLine] = bundle.checkpoint.split('\n\n');
    const [dash, name, signature] = signatureLine!.trim().split(' ');
    const bytes = Buffer.from(signature!, 'base64');
    bytes[10] = bytes[10]! ^ 0x40;
    bundle.checkpoint = `${body}\n\n${dash} ${name} ${bytes.toString('base64')}\n`;
    const result = verify(bundle);
    expect(result).toMatchObject({ ok: false, check: 1 });
    expect(result.message).toMatch(/signature by key ledger\.zwolle\.example does not verify/);
  });

  it('rejects a checkpoint signed by another key', () => {
    const other = generateSigningKey('ledger.zwolle.example');
    const checkpoint = signCheckpoint({ origin: ORIGIN, size: 50, root: rootOf(HONEST) }, { name: other.name, privateKey: other.privateKey });
    const result = verify({ ...honestBundle(), checkpoint });
    expect(result).toMatchObject({ ok: false, check: 1 });
    expect(result.message).toMatch(/no signature by key ledger\.zwolle\.example\+/);
  });

  it('rejects a previous checkpoint signed over a different history of the same size', () => {
    const bundle = honestBundle();
    const rewritten = [...HONEST.slice(0, PREVIOUS_SIZE)];
    rewritten[4] = changeByte(rewritten[4]!, 'Sociaal', 's');
    bundle.previous!.checkpoint = sign(rewritten);
    const result = verify(bundle);
    expect(result).toMatchObject({ ok: false, check: 6 });
    expect(result.message).toMatch(/previous checkpoint \(size 30\) is not a prefix of the current one \(size 50\)/);
  });

  it('rejects a previous checkpoint with a broken signature', () => {
    const bundle = honestBundle();
    bundle.previous!.checkpoint = bundle.previous!.checkpoint.replace(/\n30\n/, '\n31\n');
    expect(verify(bundle)).toMatchObject({ ok: false, check: 6, message: expect.stringMatching(/^previous-checkpoint\.txt .*does not verify/) });
  });

  it('rejects a previous checkpoint whose consistency proof is missing or for other sizes', () => {
    const bundle = honestBundle();
    const dir = writeBundle(bundle);
    rmSync(join(dir, 'consistency-proof.json'));
    expect(verifier.verifyBundle(dir)).toMatchObject({ ok: false, check: 6, message: expect.stringMatching(/consistency-proof\.json is missing/) });
    bundle.previous!.proof = { ...bundle.previous!.proof, size1: 29 };
    expect(verify(bundle)).toMatchObject({ ok: false, check: 6, message: expect.stringMatching(/for sizes 29 to 50/) });
  });

  it('rejects a stream whose versions skip a number, even in a correctly signed log', () => {
    const lines = linesOf(makeEntries(50, 33));
    const { streamId } = JSON.parse(lines[33]!);
    const result = verify(honestBundle(lines));
    expect(result).toMatchObject({ ok: false, check: 7, line: 34, logIndex: 33 });
    expect(result.message).toMatch(new RegExp(`in stream ${streamId} where \\d+ was expected`));
  });
});

describe('a bundle re-signed with another key', () => {
  // The operator rewrites entry 12, makes a new key and signs both checkpoints with it: internally consistent.
  const other = generateSigningKey('ledger.zwolle.example');
  const rekeyed = (): Bundle => {
    const lines = [...HONEST];
    lines[12] = changeByte(lines[12]!, 'maatwerk', 'M');
    const hashes = lines.map((line) => leafHash(line));
    const resign = (part: readonly string[]) => signCheckpoint({ origin: ORIGIN, size: part.length, root: rootOf(part) }, { name: other.name, privateKey: other.privateKey });
    return {
      checkpoint: resign(lines),
      lines,
      vkey: other.vkey,
      previous: { checkpoint: resign(lines.slice(0, PREVIOUS_SIZE)), proof: { size1: PREVIOUS_SIZE, size2: lines.length, proof: consistencyProof(PREVIOUS_SIZE, hashes).map((h) => h.toString('base64')) } },
    };
  };

  it('passes when the verifier trusts the key the bundle brings: why the key must be pinned', () => {
    expect(verify(rekeyed())).toMatchObject({ ok: true });
  });

  it.each([
    ['the ledger key', () => key.vkey],
    ['its fingerprint', () => verifier.keyFingerprint(key.vkey)],
  ])('is rejected at check 1 when %s is pinned', (_name, pinned) => {
    const result = verifier.verifyBundle(writeBundle(rekeyed()), { key: pinned() });
    expect(result).toMatchObject({ ok: false, check: 1, message: expect.stringContaining(`public-key.txt holds ${other.vkey}`) });
  });

  it('is rejected when it keeps the ledger key in public-key.txt but is signed with the other', () => {
    const result = verifier.verifyBundle(writeBundle({ ...rekeyed(), vkey: key.vkey }), { key: verifier.keyFingerprint(key.vkey) });
    expect(result).toMatchObject({ ok: false, check: 1, message: expect.stringMatching(/no signature by key/) });
  });

  it('leaves an honest bundle verified under the pinned key or fingerprint', () => {
    for (const pinned of [key.vkey, verifier.keyFingerprint(key.vkey).toUpperCase()]) {
      expect(verifier.verifyBundle(writeBundle(honestBundle()), { key: pinned })).toMatchObject({ ok: true, size: 50 });
    }
  });

  it('is rejected by the command run with --key, which exits 1', () => {
    const { status, stdout } = spawnSync(process.execPath, [VERIFIER, '--key', key.vkey, writeBundle(rekeyed())], { encoding: 'utf8' });
    expect(stdout).toMatch(/FAIL \(1\) checkpoint signature: checkpoint.txt checked against the pinned key: the bundle is not for the pinned key/);
    expect(status).toBe(1);
  });
});

describe('verify-audit-bundle.mjs as a command', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [VERIFIER, ...args], { encoding: 'utf8' });

  it('prints each check and exits 0 for an honest bundle', () => {
    const { status, stdout } = run('--key', key.vkey, writeBundle(honestBundle()));
    expect(stdout).toMatch(/ok {3}\(7\) stream versions/);
    expect(stdout).toMatch(/^VERIFIED: 50 entries/m);
    expect(status).toBe(0);
  });

  it('names the failing place and exits 1 for a tampered bundle', () => {
    const bundle = honestBundle();
    bundle.lines.splice(20, 1);
    const { status, stdout } = run(writeBundle(bundle), '--key', verifier.keyFingerprint(key.vkey));
    expect(stdout).toContain(`FAIL (3) log indexes: entries.jsonl line 21 (logIndex 21, eventId ${eventIdAt(21)})`);
    expect(stdout).toMatch(/^REJECTED/m);
    expect(status).toBe(1);
  });

  it.each([
    ['the bundle directory is not given', ['--key', 'x']],
    ['no key is pinned', ['bundle']],
  ])('exits 2 with a usage line when %s', (_name, args) => {
    const { status, stderr } = run(...args);
    expect(stderr).toMatch(/^usage: node verify-audit-bundle\.mjs --key <verifier key or its SHA-256 fingerprint> <bundle-dir>/);
    expect(status).toBe(2);
  });
});

describe('the standalone canonicalJson and key parsing', () => {
  it('agrees with the library on the bundle entries', () => {
    for (const line of HONEST) expect(verifier.canonicalJson(JSON.parse(line))).toBe(line);
  });

  it('reads the verifier keys of the Go and transparency-dev note tests', () => {
    expect(verifier.parseVerifierKey('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW').name).toBe('PeterNeumann');
    expect(verifier.parseVerifierKey('TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6').name).toBe('TEST');
    expect(() => verifier.parseVerifierKey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(/does not match/);
  });
});
