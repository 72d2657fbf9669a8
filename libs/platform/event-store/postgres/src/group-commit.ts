/** The outcome of one item of a group: its result, or the error that failed it alone. */
export type Settled<Result> = { readonly ok: Result } | { readonly error: unknown };

/**
 * Gathers work items that arrive while a group is running and hands them to `run` together, one group at a
 * time, at most `maxGroup` items in a group. An item that arrives while nothing runs goes at once, so a lone
 * caller waits for nothing. When `run` fails as a whole, each item of that group is run again alone, so that a
 * fault fails only the item that has it.
 */
export class GroupCommit<Item, Result> {
  private readonly waiting: { item: Item; settle: (outcome: Settled<Result>) => void }[] = [];
  private running = false;

  constructor(
    private readonly run: (items: readonly Item[]) => Promise<Settled<Result>[]>,
    private readonly maxGroup: number,
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise<Settled<Result>>((settle) => {
      this.waiting.push({ item, settle });
      this.next();
    }).then((outcome) => {
      if ('error' in outcome) throw outcome.error;
      return outcome.ok;
    });
  }

  private next(): void {
    if (this.running || this.waiting.length === 0) return;
    this.running = true;
    void this.settle(this.waiting.splice(0, this.maxGroup)).finally(() => {
      this.running = false;
      this.next();
    });
  }

  private async settle(group: { item: Item; settle: (outcome: Settled<Result>) => void }[]): Promise<void> {
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
