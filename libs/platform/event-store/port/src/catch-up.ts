import type { EventStore, ReadAllOptions, ReadAllResult } from './event-store.port';
import type { LogPosition } from './log-position';
import { Backoff } from './backoff';

export interface CatchUpOptions {
  readonly store: EventStore;
  /** Where to start: usually the consumer's stored checkpoint. */
  readonly from: LogPosition;
  readonly filter?: Pick<ReadAllOptions, 'categories' | 'types'>;
  readonly batchSize?: number;
  /** How long to wait for an append signal (`EventStore.onAppended`) before polling again. */
  readonly idleMs?: number;
  readonly signal: AbortSignal;
  /**
   * Handles one page. A page without events still moves the position (the filter skipped what was there).
   * Resolve once the page's effects and the new checkpoint are durable; reject to have the page delivered again.
   */
  readonly handle: (page: ReadAllResult) => Promise<void>;
  /** Called each time the consumer has read everything there is (before it waits for more). */
  readonly onCaughtUp?: () => Promise<void>;
  /** Called when `handle` or a read fails; the consumer waits, then reads the same page again. */
  readonly onError?: (error: unknown) => void;
  /** The wait after a failure (default 1 s); it doubles with each failure in a row, up to `maxRetryMs` (default 30 s). */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
}

/**
 * A catch-up consumer: reads the global log from a checkpoint in pages, hands each to `handle`, then waits for
 * new events. Delivery is at least once: a page whose handler failed is read again, after a backoff that appends
 * do not cut short (a failing store or handler is not retried faster because writers are busy).
 *
 * ```ts
 * const controller = new AbortController();
 * await catchUp({ store, from: await checkpoints.load('mailer'), signal: controller.signal,
 *   handle: async (page) => { ...; await checkpoints.save('mailer', before, page.scannedTo); } });
 * ```
 */
export async function catchUp(options: CatchUpOptions): Promise<void> {
  const { store, signal } = options;
  const batchSize = options.batchSize ?? 500;
  const backoff = new Backoff(options.retryMs ?? 1_000, options.maxRetryMs ?? 30_000);
  let position = options.from;
  let appended = false;
  let wake: (() => void) | undefined;
  const unsubscribe = store.onAppended(() => {
    appended = true;
    wake?.();
  });
  try {
    while (!signal.aborted) {
      appended = false;
      try {
        const page = await store.readAll({ after: position, limit: batchSize, ...options.filter });
        if (page.scannedTo !== position) {
          await options.handle(page);
          position = page.scannedTo;
          backoff.reset();
          continue;
        }
        await options.onCaughtUp?.();
        backoff.reset();
      } catch (error) {
        options.onError?.(error);
        await pause(backoff.next(), signal);
        continue;
      }
      if (!appended) await pause(options.idleMs ?? 250, signal, (w) => (wake = w));
    }
  } finally {
    unsubscribe();
  }
}

/** Resolves after `ms`, on abort, or when the function handed to `onWake` is called. */
export function pause(ms: number, signal: AbortSignal, onWake?: (wake: () => void) => void): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
    onWake?.(done);
  });
}
