/** Waits after failures in a row: `firstMs`, doubling each time, never more than `maxMs`; `reset` after a success. */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly firstMs: number,
    private readonly maxMs: number,
  ) {}

  next(): number {
    const ms = Math.min(this.maxMs, this.firstMs * 2 ** Math.min(this.failures, 30));
    this.failures += 1;
    return ms;
  }

  reset(): void {
    this.failures = 0;
  }
}
