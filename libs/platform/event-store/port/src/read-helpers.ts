import type { RecordedEvent } from './event';
import type { EventStore, ReadAllOptions } from './event-store.port';
import { type LogPosition, START } from './log-position';

/** Every event visible now after `after` that matches the filter (at most `max`), read page by page. */
export async function readAllEvents(
  store: EventStore,
  options: Partial<Pick<ReadAllOptions, 'after' | 'categories' | 'types'>> & { max?: number; pageSize?: number } = {},
): Promise<RecordedEvent[]> {
  const { after: from = START, max = Number.POSITIVE_INFINITY, pageSize = 5_000, ...filter } = options;
  const events: RecordedEvent[] = [];
  for (let after = from; events.length < max; ) {
    const page = await store.readAll({ after, limit: Math.min(pageSize, max - events.length), ...filter });
    events.push(...page.events);
    if (page.scannedTo === after || page.events.length === 0) break;
    after = page.scannedTo;
  }
  return events;
}

/**
 * Waits until `position` is visible to global readers. Another session's older transaction can hold an
 * append back for a moment; read-your-writes waits for the position rather than assuming it.
 */
export async function untilVisible(store: EventStore, position: LogPosition | string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await store.head()) < position) {
    if (Date.now() > deadline) throw new Error(`${position} did not become visible within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
