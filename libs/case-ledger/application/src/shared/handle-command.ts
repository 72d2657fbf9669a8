import { CURRENT_SCHEMA_VERSION, type Decider, type DomainEvent } from '@doorbraak/domain';
import { type EventStore, type JsonObject, WrongExpectedVersionError, categoryOf } from '@doorbraak/event-store';
import { createHash, randomUUID } from 'node:crypto';
import type { CommandContext, CommandResult } from './command-context';
import { loadStream } from './load-stream';
import { ResourceNotFound } from './application-errors';

const RETRIES = 3;

/** A UUID derived from the idempotency key, so that a retried request carries the same event ids. */
export function eventIdFor(idempotencyKey: string, streamId: string, index: number): string {
  const hex = createHash('sha256').update(`${idempotencyKey}\u0000${streamId}\u0000${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Loads the stream, folds it, lets the decider decide, and appends with the version it read (or the caller's
 * `If-Match` version). Without `If-Match`, a concurrent writer makes it read and decide again; with it, the
 * conflict goes back to the caller (412). Several commands are decided one after another against the evolving
 * state and appended together: all or nothing.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  streamId: string,
  decider: Decider<Command, Event, State>,
  command: (state: State) => Command | Command[] | Promise<Command | Command[]>,
  context: CommandContext,
): Promise<CommandResult> {
  for (let attempt = 1; ; attempt++) {
    const loaded = await loadStream(store, streamId, context.tenant);
    // Another municipality's stream: not there for this caller, whatever the command.
    if (loaded.foreign) throw new ResourceNotFound(`no ${categoryOf(streamId)} with this id`);
    if (context.idempotencyKey) {
      const firstId = eventIdFor(context.idempotencyKey, streamId, 0);
      const first = loaded.recorded.findIndex((e) => e.eventId === firstId);
      if (first >= 0) {
        const replayed = loaded.recorded.slice(first).filter((e) => e.metadata.causationId === `idempotency:${context.idempotencyKey}`);
        const last = replayed[replayed.length - 1]!;
        return { streamId, version: last.streamVersion, logPosition: last.logPosition, created: false };
      }
    }
    if (context.expectedVersion !== undefined && context.expectedVersion !== loaded.version) {
      throw new WrongExpectedVersionError(streamId, context.expectedVersion, loaded.version);
    }
    const state = (loaded.events as unknown as Event[]).reduce(decider.evolve, decider.initialState);
    const commands = await command(state);
    const events: { event: Event; subject: string | undefined }[] = [];
    let evolving = state;
    for (const c of Array.isArray(commands) ? commands : [commands]) {
      for (const event of decider.decide(c, evolving)) {
        evolving = decider.evolve(evolving, event);
        events.push({ event, subject: decider.subjectOf?.(evolving, event) });
      }
    }
    if (events.length === 0) return { streamId, version: loaded.version, logPosition: loaded.recorded.at(-1)?.logPosition ?? '', created: false };
    try {
      const result = await store.append(
        streamId,
        events.map(({ event, subject }, i) => ({
          eventId: context.idempotencyKey ? eventIdFor(context.idempotencyKey, streamId, i) : randomUUID(),
          type: event.type,
          schemaVersion: CURRENT_SCHEMA_VERSION,
          data: event.data as JsonObject,
          metadata: {
            actor: context.actor,
            ...(context.onBehalfOf ? { onBehalfOf: context.onBehalfOf } : {}),
            correlationId: context.correlationId,
            ...(context.idempotencyKey ? { causationId: `idempotency:${context.idempotencyKey}` } : {}),
            tenant: context.tenant,
            ...(subject ? { subject } : {}),
          },
        })),
        loaded.version === 0n ? 'no_stream' : loaded.version,
      );
      return { streamId, version: result.streamVersion, logPosition: result.logPosition, created: true };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError) || context.expectedVersion !== undefined || attempt >= RETRIES) throw error;
    }
  }
}
