import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consistencyProof, generateSigningKey, leafHash, rootFromLeafHashes, signCheckpoint } from '@doorbraak/merkle';
import { FileWitnessStore, Witness, formatAddCheckpoint, witnessServer } from './index';

const ORIGIN = 'ledger.test/doorbraak';
const log = generateSigningKey('ledger.test');
const history = Array.from({ length: 5 }, (_, i) => leafHash(Buffer.from(`e${i}`)));
const checkpointAt = (size: number) => signCheckpoint({ origin: ORIGIN, size, root: rootFromLeafHashes(history.slice(0, size)) }, log);

describe('witness HTTP server (C2SP tlog-witness)', () => {
  const key = generateSigningKey('witness.test');
  const witness = new Witness('witness.test', key.privateKey, new Map([[ORIGIN, log.vkey]]), new FileWitnessStore(join(mkdtempSync(join(tmpdir(), 'witness-')), 'state.json')));
  const server = witnessServer(witness);
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/add-checkpoint`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (body: string) => fetch(url, { method: 'POST', body });

  it('given a fresh witness, when checkpoints arrive in order with proofs, then it answers cosignature lines', async () => {
    const first = await post(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: checkpointAt(2) }));
    expect(first.status).toBe(200);
    expect(await first.text()).toMatch(/^\u2014 witness\.test /u);
    const second = await post(formatAddCheckpoint({ oldSize: 2, proof: consistencyProof(2, history), checkpoint: checkpointAt(5) }));
    expect(second.status).toBe(200);
  });

  it('given a cosigned size, when a stale old size arrives, then it answers 409 with its size as text/x.tlog.size', async () => {
    const response = await post(formatAddCheckpoint({ oldSize: 2, proof: [], checkpoint: checkpointAt(3) }));
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toBe('text/x.tlog.size');
    expect(await response.text()).toBe('5\n');
  });

  it('given a malformed body, then it answers 400', async () => {
    expect((await post('hello')).status).toBe(400);
  });
});
