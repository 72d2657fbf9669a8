import { demoDataset } from '@doorbraak/application';
import type { LogPosition } from '@doorbraak/event-store';
import { verifyCheckpoint, verifyInclusion } from '@doorbraak/merkle';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiHarness, startApi } from './ledger-harness';

describe('the verifiable log over HTTP and the CLI', () => {
  let api: ApiHarness;
  let headers: Record<string, string>;
  beforeAll(async () => {
    api = await startApi();
    headers = await api.as({ roles: ['auditor'] });
    const imported = await api.app.inject({ method: 'POST', url: '/v1/imports', payload: demoDataset() as object, headers: await api.as({ roles: ['professional'] }) });
    await api.ledger.log.waitFor(imported.json().logPosition as LogPosition);
  });
  afterAll(() => api.close());

  it("signs a checkpoint and proves that Davey's decision is in it, checkable with the published key only", async () => {
    const signed = await api.app.inject({ method: 'POST', url: '/v1/log/checkpoints', payload: { reason: 'close of March' }, headers });
    expect(signed.statusCode).toBe(201);
    const { vkey } = (await api.app.inject({ method: 'GET', url: '/v1/log', headers })).json();
    const checkpoint = verifyCheckpoint(signed.body, vkey);
    const davey = demoDataset().households[1]!.plans[0]!;
    const decision = (await api.ledger.store.readStream(`plan-${davey.planId}`)).find((e) => e.type === 'PlanDecided')!;
    const proof = (await api.app.inject({ method: 'GET', url: `/v1/log/events/${decision.eventId}/proof`, headers })).json();
    expect(proof.treeSize).toBe(checkpoint.size);
    const path = proof.proof.map((p: string) => Buffer.from(p, 'base64'));
    expect(verifyInclusion(proof.logIndex, proof.treeSize, Buffer.from(proof.leafHash, 'base64'), path, checkpoint.root)).toEqual({ ok: true });
  });

  const cli = (...args: string[]) => api.cli(...args);

  it('ledger verify recomputes the log from the database and agrees with the checkpoint', async () => {
    await api.ledger.log.stop();
    expect((await cli('verify')).at(-1)).toMatch(/^ok: \d+ log entries; the latest checkpoint \(size \d+\) verifies(; \d+ newer events are not in the log yet \(not checked\))?$/);
  });

  it("ledger export --audit writes a bundle that the auditor's standalone verifier accepts", async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'audit-')), 'bundle');
    const printed = await cli('export', '--audit', '2026-03', '--out', out);
    // The key fingerprint and the verifier's hash printed for publishing are those of the ledger key and of the
    // verifier in the repository, which is the auditor's own copy here.
    const fingerprint = createHash('sha256').update(api.ledger.vkey!).digest('hex');
    const ownCopy = join(__dirname, '../../infra/verifier/verify-audit-bundle.mjs');
    expect(printed).toContain(`log key fingerprint (publish it; the auditor pins it): ${fingerprint}`);
    expect(printed).toContain(`verifier sha256 (publish it; the auditor checks their copy): ${createHash('sha256').update(readFileSync(ownCopy)).digest('hex')}`);
    const run = spawnSync(process.execPath, [ownCopy, '--key', fingerprint, out], { encoding: 'utf8' });
    expect(run.stdout).toMatch(/VERIFIED/);
    expect(run.status).toBe(0);
  });
});
