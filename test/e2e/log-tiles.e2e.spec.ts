import { demoDataset } from '@doorbraak/application';
import { anEvent } from '@doorbraak/event-store-contract';
import { tilePath } from '@doorbraak/merkle';
import { createHash, randomUUID } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApiHarness, startApi } from './ledger-harness';
import { runVerifier } from './verifier-process';

/** The standalone verifier in its own process: it sees the log over HTTP only, never the database. */
const verifyRemote = (url: string, key: string) => runVerifier('--url', url, '--key', key);

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

describe('the Merkle log published as tiles', () => {
  let api: ApiHarness;
  let base: string;
  let vkey: string;
  let size: number;
  beforeAll(async () => {
    api = await startApi();
    const professional = await api.as({ roles: ['professional'] });
    await api.app.inject({ method: 'POST', url: '/v1/imports', payload: demoDataset() as object, headers: professional });
    // 300 events on top of the demo push level 0 past one full tile, so level 1 exists too.
    const { logPosition } = await api.ledger.store.append(`probe-${randomUUID()}`, Array.from({ length: 300 }, () => anEvent({ type: 'ProbeRecorded' })), 'no_stream');
    await api.ledger.log.waitFor(logPosition);
    size = Number((await api.ledger.log.checkpoint('tiles published')).split('\n')[1]);
    vkey = api.ledger.vkey!;
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    base = await api.app.getUrl();
  });
  afterAll(() => api.close());

  it('serves full tiles as immutable and partial tiles and the checkpoint as short-lived, without a token', async () => {
    expect(size).toBeGreaterThan(256);
    expect(size % 256).toBeGreaterThan(0);
    const full = await fetch(`${base}/v1/log/tile/0/000`);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('application/octet-stream');
    expect(full.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await full.arrayBuffer()).byteLength).toBe(256 * 32);
    const partial = await fetch(`${base}/v1/log/${tilePath({ level: 0, index: Math.floor(size / 256), width: size % 256 })}`);
    expect(partial.status).toBe(200);
    expect(partial.headers.get('cache-control')).toBe('public, max-age=10');
    expect((await partial.arrayBuffer()).byteLength).toBe((size % 256) * 32);
    const checkpoint = await fetch(`${base}/v1/log/checkpoint`);
    expect(checkpoint.headers.get('cache-control')).toBe('public, max-age=10');
  });

  it.each([
    ['0/1', 400],
    ['0/x000/001', 400],
    ['0/000.p/256', 400],
    ['0/000.p/0', 400],
    ['entries/000', 400],
    ['0/x001/000', 404],
    ['1/001', 404],
  ])('answers tile/%s with %i as problem+json', async (path, status) => {
    const response = await fetch(`${base}/v1/log/tile/${path}`);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    if (status === 400) expect((await response.json()).errors).toEqual([expect.objectContaining({ pointer: '#/path/tile' })]);
  });

  it('lets the standalone verifier rebuild the signed root from the tiles alone', async () => {
    const { status, stdout } = await verifyRemote(base, vkey);
    expect(stdout).toContain(`the ${size} leaf hashes of ${Math.ceil(size / 256)} level-0 tiles give the signed root`);
    expect(stdout).toContain('1 tiles of levels 1 to 1 agree with the tiles below them');
    expect(stdout).toMatch(/^VERIFIED: /m);
    expect(status).toBe(0);
  });

  it('needs the verifier key itself: a fingerprint cannot check a signature', async () => {
    const fingerprint = createHash('sha256').update(vkey, 'utf8').digest('hex');
    const { status, stdout } = await verifyRemote(base, fingerprint);
    expect(stdout).toContain('FAIL (1) checkpoint signature: ');
    expect(stdout).toContain('a remote check needs the verifier key itself, not its fingerprint');
    expect(status).toBe(1);
  });

  describe('behind a mirror that alters what it serves', () => {
    let mirror: Server;
    let mirrorUrl: string;
    let alter: (path: string, body: Buffer) => Buffer;
    beforeAll(async () => {
      mirror = createServer((request, response) => {
        void fetch(`${base}${request.url}`).then(async (upstream) => {
          response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream' });
          response.end(alter(request.url!, Buffer.from(await upstream.arrayBuffer())));
        });
      });
      mirrorUrl = await listen(mirror);
    });
    afterAll(() => new Promise((resolve) => mirror.close(resolve)));

    const flipFirstByte = (target: string) => (path: string, body: Buffer) => (path === target ? Buffer.concat([Buffer.from([body[0]! ^ 1]), body.subarray(1)]) : body);

    it('refuses a level-0 tile with an altered leaf hash', async () => {
      alter = flipFirstByte('/v1/log/tile/0/000');
      const { status, stdout } = await verifyRemote(mirrorUrl, vkey);
      expect(stdout).toMatch(/FAIL \(2\) tree from tiles: the leaf hashes in the \d+ level-0 tiles give root \S+, but the signed checkpoint has/);
      expect(stdout).toMatch(/^REJECTED: /m);
      expect(status).toBe(1);
    });

    it('refuses an altered tile above level 0, naming it, even though the leaves give the signed root', async () => {
      const levelOne = tilePath({ level: 1, index: 0, width: Math.floor(size / 256) });
      alter = flipFirstByte(`/v1/log/${levelOne}`);
      const { status, stdout } = await verifyRemote(mirrorUrl, vkey);
      expect(stdout).toContain(`FAIL (3) tiles above level 0: hash 0 of ${levelOne} is not the root of tile/0/000`);
      expect(status).toBe(1);
    });

    it('refuses a tile of the wrong length', async () => {
      alter = (path, body) => (path === '/v1/log/tile/0/000' ? body.subarray(32) : body);
      const { stdout } = await verifyRemote(mirrorUrl, vkey);
      expect(stdout).toContain('FAIL (2) tree from tiles: tile/0/000 has 8160 bytes, expected 8192 (256 hashes)');
    });

    it('refuses a checkpoint signed by another key', async () => {
      alter = (_path, body) => body;
      const other = vkey.replace(/^[^+]+/, 'someone-else.example/log');
      const { stdout } = await verifyRemote(mirrorUrl, other);
      expect(stdout).toMatch(/FAIL \(1\) checkpoint signature: .*checkpoint checked against the given key: public key hash does not match/);
    });
  });
});
