import { demoDataset } from '@doorbraak/application';
import type { LogPosition } from '@doorbraak/event-store';
import { generateSigningKey } from '@doorbraak/merkle';
import { checkWitnessPolicy, formatAddCheckpoint } from '@doorbraak/witness';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiHarness, Caller } from './ledger-harness';
import { runVerifier } from './verifier-process';
import { type WitnessProcess, startWitness, stopWitness } from './witness-process';

const ORIGIN = 'ledger.gm9001.test/doorbraak';
const auditor: Caller = { roles: ['auditor'] };
const admin: Caller = { roles: ['admin'] };

/**
 * The ledger with two witness processes on loopback: it collects their cosignatures, keeps accepting writes while
 * they are down, and a history rewritten and re-signed with the ledger's own key is refused by both and rejected by
 * the auditor's verifier under a 1-of-2 policy.
 */
export function describeWitnessedCheckpoints(start: (env: Record<string, string>) => Promise<ApiHarness>): void {
  const key = generateSigningKey(ORIGIN);
  const dir = mkdtempSync(join(tmpdir(), 'witnessed-'));
  const names = ['witness.gm0344.test', 'witness.gm0345.test'] as const;
  let api: ApiHarness;
  let base: string;
  let witnesses: WitnessProcess[];
  const vkeys = () => witnesses.map((w) => w.vkey);

  beforeAll(async () => {
    witnesses = await Promise.all(names.map((name) => startWitness(dir, name, `${ORIGIN}=${key.vkey}`)));
    const configured = witnesses.map((w, i) => ({ name: names[i], vkey: w.vkey, url: w.url }));
    api = await start({ LEDGER_LOG_ORIGIN: ORIGIN, LEDGER_CHECKPOINT_KEY: key.privateKeyPem, LEDGER_WITNESSES: JSON.stringify(configured) });
    const imported = await api.app.inject({ method: 'POST', url: '/v1/imports', payload: demoDataset() as object, headers: await api.as({ roles: ['professional'] }) });
    await api.ledger.log.waitFor(imported.json().logPosition as LogPosition);
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    base = await api.app.getUrl();
  });
  afterAll(async () => {
    await api.close();
    await Promise.all(witnesses.map(stopWitness));
  });

  const get = async (url: string, caller = auditor) => api.app.inject({ method: 'GET', url, headers: await api.as(caller) });
  const sign = async (reason: string) => {
    await api.ledger.log.integrateAll();
    const signed = await api.app.inject({ method: 'POST', url: '/v1/log/checkpoints', payload: { reason }, headers: await api.as(auditor) });
    expect(signed.statusCode).toBe(201);
    return signed.body;
  };
  const write = async () => {
    const budget = { budgetId: randomUUID(), name: 'Doorbraakbudget 2026', fundingSource: 'doorbraakbudget', boekjaar: 2026, authorisedAmount: '2000.00', iv3Taakveld: '6.23', holder: 'directeur sociaal domein' };
    return (await api.app.inject({ method: 'POST', url: '/v1/budgets', payload: budget, headers: await api.as(admin) })).statusCode;
  };
  const cli = (...args: string[]) => api.cli(...args);
  /** The auditor's verifier under a 1-of-2 policy, of a bundle (pinning the key's fingerprint) or of the live log. */
  const policy = () => [...vkeys().flatMap((v) => ['--witness', v]), '--witness-threshold', '1'];
  const verdict = (bundle: string) => runVerifier(bundle, '--key', createHash('sha256').update(key.vkey).digest('hex'), ...policy());
  const remoteVerdict = () => runVerifier('--url', base, '--key', key.vkey, ...policy());
  const forks = (w: WitnessProcess) => (JSON.parse(readFileSync(w.state, 'utf8')) as { forks: { cosigned: string; presented: string }[] }).forks;

  it('gets every checkpoint cosigned by both witnesses and serves it with their cosignatures', async () => {
    const first = await sign('close of February');
    expect(await write()).toBe(201);
    const second = await sign('close of March');
    // The checkpoint went to the witnesses when it was signed; this waits for that round.
    await api.ledger.witnesses.collect();
    for (const note of [first, second]) expect(checkWitnessPolicy(await api.ledger.witnesses.cosigned(note), vkeys())).toEqual({ cosigned: [...names], missing: [] });
    const served = await fetch(`${base}/v1/log/checkpoint`).then((r) => r.text());
    expect(served.startsWith(second)).toBe(true);
    expect(checkWitnessPolicy(served, vkeys()).missing).toEqual([]);
    expect((await get('/v1/log')).json()).toMatchObject({ latestCheckpoint: served, witnesses: names.map((name, i) => ({ name, vkey: vkeys()[i] })) });
    const remote = await remoteVerdict();
    expect(remote.stdout).toMatch(/ok {3}\(4\) witness cosignatures: 2 of 2 witnesses cosigned/);
    expect(remote.status).toBe(0);
    const status = JSON.parse((await cli('witnesses', '--json')).join('\n')) as { cosignedSize: number; waiting: number }[];
    expect(status.map((s) => s.waiting)).toEqual([0, 0]);
  });

  it('keeps accepting writes and signing while every witness is down; the waiting shows and clears when they return', async () => {
    const sizes = (await api.ledger.witnesses.status()).map((s) => s.cosignedSize);
    await Promise.all(witnesses.map(stopWitness));
    expect(await write()).toBe(201);
    const signed = await sign('while the witnesses are down');
    await api.ledger.witnesses.collect();
    expect(await api.ledger.witnesses.status()).toEqual(names.map((name) => expect.objectContaining({ name, waiting: 1, attempts: 1, nextAttemptAt: expect.any(String), lastError: expect.stringContaining('fetch failed') })));
    const metrics = (await get('/v1/metrics', admin)).body;
    for (const name of names) expect(metrics).toContain(`ledger_witness_waiting_checkpoints{witness="${name}"} 1`);
    expect((await cli('witnesses')).join('\n')).toMatch(/witness\.gm0344\.test\t\d+\t\d+\t1\t1\t\S+\tfetch failed: ECONNREFUSED/);
    expect(await write()).toBe(201);

    // Restarted from their state files at the same addresses; they still hold what they cosigned before.
    witnesses = await Promise.all(witnesses.map((w, i) => startWitness(dir, names[i]!, `${ORIGIN}=${key.vkey}`, w.port)));
    for (const [i, w] of witnesses.entries()) {
      const rollback = await fetch(`${w.url}/add-checkpoint`, { method: 'POST', body: formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: signed }) });
      expect(rollback.status).toBe(409);
      expect(await rollback.text()).toBe(`${sizes[i]}\n`);
    }
    const output = await cli('witnesses', '--collect', '--json');
    expect((JSON.parse(output.join('\n')) as { waiting: number; attempts: number; lastError: string | null }[]).map(({ waiting, attempts, lastError }) => ({ waiting, attempts, lastError }))).toEqual([
      { waiting: 0, attempts: 0, lastError: null },
      { waiting: 0, attempts: 0, lastError: null },
    ]);
    expect((await get('/v1/metrics', admin)).body).toContain(`ledger_witness_waiting_checkpoints{witness="${names[0]}"} 0`);
    expect(checkWitnessPolicy(await api.ledger.witnesses.cosigned(signed), vkeys()).missing).toEqual([]);
    // A witness that cosigned this size refuses an older, smaller checkpoint.
    const older = (await api.ledger.client.query<{ note: string }>(`SELECT note FROM ${api.ledger.schema}.log_checkpoints ORDER BY size LIMIT 1`)).rows[0]!.note;
    const size = Number(signed.split('\n')[1]);
    for (const w of witnesses) expect((await fetch(`${w.url}/add-checkpoint`, { method: 'POST', body: formatAddCheckpoint({ oldSize: size, proof: [], checkpoint: older }) })).status).toBe(400);
  });

  it("gives an honest audit bundle with the witnesses' cosignatures, which the verifier accepts under 1 of 2", async () => {
    const out = join(dir, 'honest');
    const printed = await cli('export', '--audit', '2026-03', '--out', out);
    expect(printed).toContain(`cosigned by ${names.join(', ')}`);
    const run = await verdict(out);
    expect(run.stdout).toMatch(/ok {3}\(8\) witness cosignatures: 2 of 2 witnesses cosigned/);
    expect(run.status).toBe(0);
  });

  it('a history rewritten and re-signed with the real key is refused by both witnesses, which keep the fork; the verifier under 1 of 2 rejects it without an earlier checkpoint', async () => {
    const latest = (await api.ledger.log.latestCheckpoint())!.note;
    await api.ledger.log.stop();
    // The operator, with superuser rights and the checkpoint key, changes the first event and rebuilds the log
    // (leaves, tiles, checkpoints, cosignatures and what it knew of the witnesses) over the rewritten history.
    const s = api.ledger.schema;
    await api.ledger.client.exec(`
      ALTER TABLE ${s}.events DISABLE TRIGGER events_immutable;
      UPDATE ${s}.events SET data = data || '{"note": "rewritten"}' WHERE global_position = (SELECT min(global_position) FROM ${s}.events);
      DELETE FROM ${s}.log_cosignatures; DELETE FROM ${s}.log_witnesses; DELETE FROM ${s}.log_checkpoints;
      DELETE FROM ${s}.log_tiles; DELETE FROM ${s}.log_entries; DELETE FROM ${s}.personal_salts;
      UPDATE ${s}.log_state SET size = 0, position = '00000000000000000000-00000000000000000000', frontier = '{}';`);
    await api.ledger.log.integrateAll();
    const rewritten = await api.ledger.log.checkpoint('period 2026-03');
    await api.ledger.witnesses.collect();
    for (const status of await api.ledger.witnesses.status()) expect(status).toMatchObject({ waiting: 1, lastError: expect.stringMatching(/answered 422 .*does not extend the cosigned size/) });
    for (const w of witnesses) expect(forks(w)).toEqual([expect.objectContaining({ cosigned: latest, presented: rewritten })]);

    const out = join(dir, 'rewritten');
    await cli('export', '--audit', '2026-03', '--out', out);
    expect(readFileSync(join(out, 'checkpoint.txt'), 'utf8')).toBe(rewritten);
    const run = await verdict(out);
    expect(run.stdout).toContain('ok   (6) previous checkpoint: none in the bundle');
    expect(run.stdout).toContain(`FAIL (8) witness cosignatures: 0 of the required 1 witnesses cosigned checkpoint.txt; missing: ${names.join(', ')}`);
    expect(run.status).toBe(1);
    // Checking the live log instead, the auditor holds no checkpoint of their own at all.
    const remote = await remoteVerdict();
    expect(remote.stdout).toContain('ok   (2) tree from tiles');
    expect(remote.stdout).toContain(`FAIL (4) witness cosignatures: 0 of the required 1 witnesses cosigned the checkpoint; missing: ${names.join(', ')}`);
    expect(remote.status).toBe(1);
  });
}
