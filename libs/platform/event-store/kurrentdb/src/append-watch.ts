import { Backoff } from '@doorbraak/event-store';

/** The part of the client's `$all` subscription the watch uses. */
export interface LiveSubscription {
  on(event: 'confirmation', listener: () => void): unknown;
  on(event: 'data', listener: (event: unknown) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  unsubscribe(): Promise<void>;
}

export interface AppendWatchOptions {
  /** Opens a subscription to the end of `$all`. */
  readonly subscribe: () => LiveSubscription;
  /** Called for every event the subscription delivers, and each time it is (re)confirmed. */
  readonly notify: () => void;
  readonly retryMs: number;
  readonly maxRetryMs: number;
}

/**
 * Turns a live `$all` subscription into append signals for catch-up consumers in this process, whichever process
 * appended. A dropped subscription (an error such as not-leader or unavailable, or the server ending it) is
 * reopened after a backoff that resets once the server confirms the new one; the confirmation itself signals,
 * so consumers read what was appended while it was down. The signals carry no positions: consumers read from
 * their own checkpoint, so a lost signal delays them until their next poll and never skips an event.
 */
export class AppendWatch {
  private subscription: LiveSubscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly backoff: Backoff;

  constructor(private readonly options: AppendWatchOptions) {
    this.backoff = new Backoff(options.retryMs, options.maxRetryMs);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.open();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.release();
  }

  private open(): void {
    const subscription = this.options.subscribe();
    this.subscription = subscription;
    const dropped = () => {
      if (this.subscription !== subscription) return;
      this.release();
      this.timer = setTimeout(() => this.open(), this.backoff.next());
    };
    subscription.on('confirmation', () => {
      this.backoff.reset();
      this.options.notify();
    });
    subscription.on('data', () => this.options.notify());
    subscription.on('error', dropped);
    subscription.on('close', dropped);
  }

  private release(): void {
    const subscription = this.subscription;
    this.subscription = undefined;
    // The subscription is over either way; a failure to cancel it has nothing left to report.
    subscription?.unsubscribe().catch(() => undefined);
  }
}
