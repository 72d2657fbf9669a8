import type { EventStore, ReadAllOptions, ReadAllResult } from './event-store.port';
import type { LogPosition } from './log-position';

export interface CatchUpOptions {
  readonly store: EventStore;
  /** Where to start: usually the consumer's stored checkpoint. */
  readonly from: LogPosition;
  readonly filter?: Pick<ReadAllOptions, 'categories' | 'types'>;
  readonly batchSize?: number;
  /** How long to wait for an in-process append signal before polling again. */
  readonly idleMs?: number;
  readonly signal: AbortSignal;
  /**
   * Handles one page. A page without events still moves the position (the filter skipped what was there).
   * Resolve once the page's effects and the new checkpoint are durable; reject to have the page delivered again.
   */
  readonly handle: (page: ReadAllResult) => Promise<void>;
  /** Called each time the consumer has read everything there is (before it waits for more). */
  readonly onCaughtUp?: () => Promise<void>;
  /** Called when `handle` or a read fails; the consumer waits `retryMs` and reads the same page again. */
  readonly onError?: (error: unknown) => void;
  readonly retryMs?: number;
}

/**
 * A catch-up consumer: reads the global log from a checkpoint in pages, hands each to `handle`, then waits for
 * new events. Delivery is at least once: a page whose handler failed is read again.
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
  let position = options.from;
  let appended = false;
  let wake: (() => void) | undefined;
  const unsubscribe = store.onAppended(() => {
    appended = true;
    wake?.();
  });
  const stop = () => wake?.();
  signal.addEventListener('abort', stop);
  try {
    while (!signal.aborted) {
      appended = false;
      let page: ReadAllResult;
      try {
        page = await store.readAll({ after: position, limit: batchSize, ...options.filter });
        if (page.scannedTo !== position) {
          await options.handle(page);
          position = page.scannedTo;
          continue;
        }
        await options.onCaughtUp?.();
      } catch (error) {
        options.onError?.(error);
        await pause(options.retryMs ?? 1_000, signal, (w) => (wake = w));
        continue;
      }
      if (!appended) await pause(options.idleMs ?? 250, signal, (w) => (wake = w));
    }
  } finally {
    unsubscribe();
    signal.removeEventListener('abort', stop);
  }
}

function pause(ms: number, signal: AbortSignal, setWake: (wake: () => void) => void): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    setWake(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
