import { anEvent } from '@doorbraak/event-store-contract';
import { untilVisible } from '@doorbraak/event-store';
import { generateSigningKey } from '@doorbraak/merkle';
import { openPglite, type SqlClient } from '@doorbraak/sql';
import { uniqueSchema } from '@doorbraak/testing';
import { FileWitnessStore, Witness, checkWitnessPolicy, witnessServer, witnessVkey } from '@doorbraak/witness';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CosignatureCollector, type WitnessEndpoint } from './cosignatures';
import { logIn, testSigningKey } from './merkle-log.behaviour';

const ORIGIN = 'ledger.gm9001.test/doorbraak';
const dir = mkdtempSync(join(tmpdir(), 'cosignatures-'));

/** A witness on loopback that can be taken down and brought back on the same port with the same state. */
class LoopbackWitness {
  private server: Server | undefined;
  private port = 0;
  requests = 0;
  private constructor(
    private readonly witness: Witness,
    private readonly vkey: string,
    private readonly name: string,
  ) {}

  get endpoint(): WitnessEndpoint {
    return { name: this.name, vkey: this.vkey, url: `http://127.0.0.1:${this.port}` };
  }

  static async start(name: string): Promise<LoopbackWitness> {
    const key = generateSigningKey(name);
    const witness = new Witness(name, key.privateKey, new Map([[ORIGIN, testSigningKey.vkey]]), new FileWitnessStore(join(dir, `${name}-${randomUUID()}.json`)));
    const w = new LoopbackWitness(witness, witnessVkey(name, key.privateKey), name);
    await w.up();
    return w;
  }

  async up(): Promise<void> {
    const server = witnessServer(this.witness).on('request', () => this.requests++);
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server!;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('collecting cosignatures from the witnesses', () => {
  let db: SqlClient;
  let witnesses: LoopbackWitness[];
  beforeAll(async () => {
    db = await openPglite('memory://');
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    witnesses = await Promise.all([LoopbackWitness.start('witness-a.test'), LoopbackWitness.start('witness-b.test')]);
  });
  afterEach(() => Promise.all(witnesses.map((w) => w.down().catch(() => undefined))));

  const setup = async () => {
    const schema = uniqueSchema('cosign');
    const { store, log } = logIn(db, schema);
    await store.migrate();
    await log.migrate();
    let now = new Date('2026-03-31T12:00:00Z');
    const clock = { advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
    const collector = new CosignatureCollector({ log, client: db, schema, witnesses: witnesses.map((w) => w.endpoint), now: () => now, firstRetryMs: 10_000, maxRetryMs: 40_000 });
    const append = async (n: number) => {
      let last = '';
      for (let i = 0; i < n; i++) ({ logPosition: last } = await store.append(`plan-${randomUUID()}`, [anEvent()], 'no_stream'));
      await untilVisible(store, last);
      await log.integrateAll();
    };
    return { log, collector, clock, append, schema };
  };
  const vkeys = () => witnesses.map((w) => w.endpoint.vkey);

  it('given two witnesses, when checkpoints are signed, then each is cosigned by both, the later one with a consistency proof', async () => {
    const { log, collector, append } = await setup();
    await append(3);
    const first = await log.checkpoint('test');
    await collector.collect();
    await append(4);
    const second = await log.checkpoint('test');
    await collector.collect();
    expect(checkWitnessPolicy(await collector.cosigned(first), vkeys())).toEqual({ cosigned: ['witness-a.test', 'witness-b.test'], missing: [] });
    expect(checkWitnessPolicy(await collector.cosigned(second), vkeys())).toEqual({ cosigned: ['witness-a.test', 'witness-b.test'], missing: [] });
    expect(await collector.status()).toEqual(witnesses.map((w) => ({ name: w.endpoint.name, url: w.endpoint.url, knownSize: 7, cosignedSize: 7, waiting: 0, attempts: 0, nextAttemptAt: null, lastError: null })));
  });

  it('given a witness that is down, then the checkpoint waits for it with backoff, the other cosigns, and it catches up in order when it returns', async () => {
    const { log, collector, clock, append } = await setup();
    const [a, b] = witnesses as [LoopbackWitness, LoopbackWitness];
    await b.down();
    await append(2);
    const first = await log.checkpoint('test');
    await collector.collect();
    expect((await collector.status())[1]).toMatchObject({ cosignedSize: 0, waiting: 1, attempts: 1, nextAttemptAt: '2026-03-31T12:00:10.000Z', lastError: expect.stringContaining('ECONNREFUSED') });
    expect(checkWitnessPolicy(await collector.cosigned(first), vkeys())).toEqual({ cosigned: ['witness-a.test'], missing: ['witness-b.test'] });

    await append(3);
    await log.checkpoint('test');
    clock.advance(5_000);
    await collector.collect();
    expect((await collector.status())[1]).toMatchObject({ waiting: 2, attempts: 1, nextAttemptAt: '2026-03-31T12:00:10.000Z' });
    expect((await collector.status())[0]).toMatchObject({ cosignedSize: 5, waiting: 0 });

    for (const [wait, next] of [[5_000, '12:00:30'], [20_000, '12:01:10'], [40_000, '12:01:50']] as const) {
      clock.advance(wait);
      await collector.collect();
      expect((await collector.status())[1]).toMatchObject({ nextAttemptAt: `2026-03-31T${next}.000Z` });
    }
    await b.up();
    clock.advance(39_999);
    await collector.collect();
    expect(b.requests).toBe(0);
    clock.advance(1);
    await collector.collect();
    expect(b.requests).toBe(2);
    expect(await collector.status()).toEqual([a, b].map((w) => ({ name: w.endpoint.name, url: w.endpoint.url, knownSize: 5, cosignedSize: 5, waiting: 0, attempts: 0, nextAttemptAt: null, lastError: null })));
    expect(checkWitnessPolicy(await collector.cosigned(first), vkeys()).cosigned).toEqual(['witness-a.test', 'witness-b.test']);
  });

  it('given a witness that cosigned more than the ledger remembers, then it continues from the size the witness answers with 409', async () => {
    const { log, collector, append, schema } = await setup();
    await append(2);
    await log.checkpoint('test');
    await collector.collect();
    await db.query(`UPDATE ${schema}.log_witnesses SET known_size = 0`);
    await append(2);
    const next = await log.checkpoint('test');
    await collector.collect();
    expect(checkWitnessPolicy(await collector.cosigned(next), vkeys()).missing).toEqual([]);
    expect((await collector.status()).map((s) => [s.knownSize, s.cosignedSize])).toEqual([[4, 4], [4, 4]]);
  });

  it('given an answer 200 without a valid cosignature by the witness key, then nothing is stored and the attempt fails', async () => {
    const { log, append, schema } = await setup();
    const impostor = createServer((_request, response) => response.end(`\u2014 witness-a.test ${Buffer.alloc(76, 1).toString('base64')}\n`));
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = { ...witnesses[0]!.endpoint, url: `http://127.0.0.1:${(impostor.address() as AddressInfo).port}` };
      const misled = new CosignatureCollector({ log, client: db, schema, witnesses: [endpoint] });
      await append(1);
      const note = await log.checkpoint('test');
      await misled.collect();
      expect(await misled.cosigned(note)).toBe(note);
      expect((await misled.status())[0]).toMatchObject({ attempts: 1, waiting: 1, lastError: expect.stringContaining('without a valid cosignature') });
    } finally {
      impostor.close();
    }
  });
});
