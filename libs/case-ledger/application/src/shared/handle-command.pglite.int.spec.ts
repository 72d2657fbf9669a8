import { type ApprovedDecision, BudgetExceeded, budgetDecider, streams } from '@doorbraak/domain';
import { type EventStore, type ReadStreamOptions, WrongExpectedVersionError } from '@doorbraak/event-store';
import { PostgresEventStore } from '@doorbraak/event-store-postgres';
import { openPglite, type SqlClient } from '@doorbraak/sql';
import { uniqueSchema } from '@doorbraak/testing';
import { randomUUID } from 'node:crypto';
import type { CommandContext } from './command-context';
import { handleCommand } from './handle-command';
import { StreamStates } from './stream-states';

const context: CommandContext = { actor: 'prof-1', tenant: 'gm0363', correlationId: randomUUID() };
const decision: ApprovedDecision = { planId: randomUUID(), decisionId: randomUUID(), outcome: 'approved', decidedOn: '2026-03-03', doorbraakIds: [randomUUID()] };

const open = (budgetId: string, authorisedAmount = '1000') => ({
  type: 'OpenBudget' as const,
  data: { budgetId, name: 'Doorbraakbudget 2026', fundingSource: 'doorbraakbudget' as const, boekjaar: 2026, authorisedAmount, iv3Taakveld: '6.23', holder: 'directeur sociaal domein' },
});
const commit = (budgetId: string, amount: string) => ({
  type: 'CommitSpend' as const,
  decision,
  data: {
    budgetId,
    spendId: randomUUID(),
    planId: decision.planId,
    householdId: randomUUID(),
    doorbraakId: decision.doorbraakIds[0]!,
    decisionId: decision.decisionId,
    amount,
    payee: { organisation: 'Woningcorporatie Demodorp' },
    kind: 'gift' as const,
    recurrence: 'one-off' as const,
    primaryProvision: { checked: true, why: 'bijzondere bijstand takes eight weeks' },
    committedOn: '2026-03-04',
  },
});

/** The store, counting the stream reads made through it. */
function counting(store: EventStore): { store: EventStore; reads: () => number } {
  let reads = 0;
  const wrapped = Object.create(store) as EventStore;
  wrapped.readStream = (streamId: string, options?: ReadStreamOptions) => {
    reads += 1;
    return store.readStream(streamId, options);
  };
  return { store: wrapped, reads: () => reads };
}

describe('a command on a remembered stream state', () => {
  let db: SqlClient;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await openPglite('memory://');
    store = new PostgresEventStore({ client: { ...db, close: async () => undefined }, schema: uniqueSchema('cmd') });
    await store.migrate();
  });
  afterAll(() => db.close());

  // Two processes: each its own remembered states over the one store.
  const twoProcesses = () => [new StreamStates(store), new StreamStates(store)] as const;
  const budget = async (states: StreamStates, amount = '1000') => {
    const budgetId = randomUUID();
    await handleCommand(states, streams.budget(budgetId), budgetDecider, () => open(budgetId, amount), context);
    return budgetId;
  };

  it('is decided without reading the stream', async () => {
    const { store: counted, reads } = counting(store);
    const states = new StreamStates(counted);
    const budgetId = await budget(states);
    const before = reads();
    const result = await handleCommand(states, streams.budget(budgetId), budgetDecider, () => commit(budgetId, '10'), context);
    expect(result).toMatchObject({ version: 2n, created: true });
    expect(reads()).toBe(before);
  });

  it('is refused by the store when another process appended since, and decided again on what it appended', async () => {
    const [a, b] = twoProcesses();
    const budgetId = await budget(a);
    await b.load(streams.budget(budgetId), budgetDecider);
    await handleCommand(a, streams.budget(budgetId), budgetDecider, () => commit(budgetId, '600'), context);
    // b remembers 1000 available; the budget has 400 left.
    await expect(handleCommand(b, streams.budget(budgetId), budgetDecider, () => commit(budgetId, '500'), context)).rejects.toBeInstanceOf(BudgetExceeded);
    await expect(handleCommand(b, streams.budget(budgetId), budgetDecider, () => commit(budgetId, '400'), context)).resolves.toMatchObject({ version: 3n });
    expect((await store.readStream(streams.budget(budgetId))).map((e) => e.data['amount'])).toEqual([undefined, '600', '400']);
  });

  it('checks a refusal decided on a remembered state against a fresh read', async () => {
    const [a, b] = twoProcesses();
    const budgetId = await budget(a, '100');
    await b.load(streams.budget(budgetId), budgetDecider);
    await handleCommand(a, streams.budget(budgetId), budgetDecider, () => ({ type: 'AdjustBudget' as const, data: { budgetId, newAuthorisedAmount: '1000', adjustedOn: '2026-04-01', reason: 'raised', authorisedBy: 'dm-1' } }), context);
    // b remembers 100 authorised, which would refuse 500.
    await expect(handleCommand(b, streams.budget(budgetId), budgetDecider, () => commit(budgetId, '500'), context)).resolves.toMatchObject({ version: 3n, created: true });
  });

  it('accepts an If-Match of the version another process reached, and refuses an older one with the actual version', async () => {
    const [a, b] = twoProcesses();
    const budgetId = await budget(a);
    await b.load(streams.budget(budgetId), budgetDecider);
    await handleCommand(a, streams.budget(budgetId), budgetDecider, () => commit(budgetId, '1'), context);
    await expect(handleCommand(b, streams.budget(budgetId), budgetDecider, () => commit(budgetId, '1'), { ...context, expectedVersion: 2n })).resolves.toMatchObject({ version: 3n });
    await expect(handleCommand(a, streams.budget(budgetId), budgetDecider, () => commit(budgetId, '1'), { ...context, expectedVersion: 2n })).rejects.toMatchObject({ actual: 3n });
    await expect(handleCommand(a, streams.budget(budgetId), budgetDecider, () => commit(budgetId, '1'), { ...context, expectedVersion: 2n })).rejects.toBeInstanceOf(WrongExpectedVersionError);
  });

  it('recognises a retry with the same Idempotency-Key in either process, writing once', async () => {
    const [a, b] = twoProcesses();
    const budgetId = await budget(a);
    await b.load(streams.budget(budgetId), budgetDecider);
    const keyed = { ...context, idempotencyKey: randomUUID() };
    const command = commit(budgetId, '5');
    const first = await handleCommand(a, streams.budget(budgetId), budgetDecider, () => command, keyed);
    await expect(handleCommand(a, streams.budget(budgetId), budgetDecider, () => command, keyed)).resolves.toEqual({ ...first, created: false });
    await expect(handleCommand(b, streams.budget(budgetId), budgetDecider, () => command, keyed)).resolves.toEqual({ ...first, created: false });
    expect(await store.readStream(streams.budget(budgetId))).toHaveLength(2);
  });

  it('never appends a decision made on a stale state: racing spends from two processes stay within the budget', async () => {
    const [a, b] = twoProcesses();
    const budgetId = await budget(a, '1000');
    await b.load(streams.budget(budgetId), budgetDecider);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => handleCommand(i % 2 ? a : b, streams.budget(budgetId), budgetDecider, () => commit(budgetId, '70'), context)),
    );
    const committed = (await store.readStream(streams.budget(budgetId))).filter((e) => e.type === 'SpendCommitted');
    expect(committed).toHaveLength(outcomes.filter((o) => o.status === 'fulfilled').length);
    expect(committed.length).toBeGreaterThan(0);
    expect(committed.length * 70).toBeLessThanOrEqual(1000);
    outcomes.filter((o) => o.status === 'rejected').forEach((o) => expect([BudgetExceeded, WrongExpectedVersionError]).toContain((o as PromiseRejectedResult).reason.constructor));
  });
});
