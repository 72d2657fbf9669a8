/** The outcome of one item of a group: its result, or the error that failed it alone. */
export type Settled<Result> = { readonly ok: Result } | { readonly error: unknown };

interface Waiting<Item, Result> {
  readonly item: Item;
  readonly streams: readonly string[];
  readonly settle: (outcome: Settled<Result>) => void;
}

/**
 * Gathers work items that arrive while groups are running and hands them to `run` together: at most `inFlight`
 * groups at a time, at most `maxGroup` items in a group. An item that arrives while a group could start goes at
 * once, so a lone caller waits for nothing. Groups running at the same time share no stream, and an item never
 * overtakes an earlier one of the same stream, so each stream's items are run in the order they were submitted.
 * When `run` fails as a whole, each item of that group is run again alone, so that a fault fails only the item
 * that has it.
 */
export class GroupCommit<Item, Result> {
  private waiting: Waiting<Item, Result>[] = [];
  /** The streams of the groups running now. */
  private readonly busy = new Set<string>();
  private running = 0;

  constructor(
    private readonly run: (items: readonly Item[]) => Promise<Settled<Result>[]>,
    private readonly streamsOf: (item: Item) => readonly string[],
    private readonly maxGroup: number,
    private readonly inFlight = 1,
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise<Settled<Result>>((settle) => {
      this.waiting.push({ item, streams: this.streamsOf(item), settle });
      this.next();
    }).then((outcome) => {
      if ('error' in outcome) throw outcome.error;
      return outcome.ok;
    });
  }

  private next(): void {
    while (this.running < this.inFlight && this.waiting.length > 0) {
      const group: Waiting<Item, Result>[] = [];
      const later: Waiting<Item, Result>[] = [];
      // A stream of a running group, or of an item left for later, holds back every later item of that stream.
      const held = new Set(this.busy);
      for (const waiting of this.waiting) {
        if (group.length < this.maxGroup && !waiting.streams.some((s) => held.has(s))) {
          group.push(waiting);
        } else {
          later.push(waiting);
          waiting.streams.forEach((s) => held.add(s));
        }
      }
      if (group.length === 0) return;
      this.waiting = later;
      this.running += 1;
      const streams = group.flatMap((g) => g.streams);
      streams.forEach((s) => this.busy.add(s));
      void this.settle(group).finally(() => {
        streams.forEach((s) => this.busy.delete(s));
        this.running -= 1;
        this.next();
      });
    }
  }

  private async settle(group: Waiting<Item, Result>[]): Promise<void> {
    let outcomes: Settled<Result>[];
    try {
      outcomes = await this.run(group.map((g) => g.item));
    } catch (error) {
      outcomes =
        group.length === 1
          ? [{ error }]
          : await Promise.all(group.map((g) => this.run([g.item]).then((alone) => alone[0]!, (failure: unknown) => ({ error: failure }))));
    }
    group.forEach((g, i) => g.settle(outcomes[i]!));
  }
}
