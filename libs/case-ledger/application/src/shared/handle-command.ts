import { CURRENT_SCHEMA_VERSION, type Decider, type DomainEvent } from '@doorbraak/domain';
import { type EventToAppend, type JsonObject, WrongExpectedVersionError, categoryOf } from '@doorbraak/event-store';
import { createHash, randomUUID } from 'node:crypto';
import type { CommandContext, CommandResult } from './command-context';
import { type StreamStates, causationOf } from './stream-states';
import { ResourceNotFound } from './application-errors';

const RETRIES = 3;

/** A UUID derived from the idempotency key, so that a retried request carries the same event ids. */
export function eventIdFor(idempotencyKey: string, streamId: string, index: number): string {
  const hex = createHash('sha256').update(`${idempotencyKey}\u0000${streamId}\u0000${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Decides on the stream's state and appends with the version that state has (or the caller's `If-Match`
 * version). The state is the one remembered from the last command on this stream when there is one (no read):
 * the append's expected version refuses it when another process appended since, and anything but a stored
 * append (a conflict, a refusal, nothing to do, a stale If-Match) is decided again on a fresh read. Without
 * `If-Match`, a concurrent writer makes it read and decide again; with it, the conflict goes back to the caller
 * (412). Several commands are decided one after another against the evolving state and appended together: all
 * or nothing.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  states: StreamStates,
  streamId: string,
  decider: Decider<Command, Event, State>,
  command: (state: State) => Command | Command[] | Promise<Command | Command[]>,
  context: CommandContext,
): Promise<CommandResult> {
  let remembered = states.remembered(streamId, decider);
  // A key the remembered state does not hold may have been stored by another process: read what is new.
  if (context.idempotencyKey !== undefined && !remembered?.keys.has(context.idempotencyKey)) remembered = undefined;
  for (let fresh = 0; ; ) {
    const loaded = remembered ?? (fresh++, await states.load(streamId, decider));
    const retry = remembered !== undefined;
    remembered = undefined;
    // Another municipality's stream: not there for this caller, whatever the command.
    if (loaded.tenant !== undefined && loaded.tenant !== context.tenant) throw new ResourceNotFound(`no ${categoryOf(streamId)} with this id`);
    const stored = context.idempotencyKey === undefined ? undefined : loaded.keys.get(context.idempotencyKey);
    if (stored) return { streamId, version: stored.version, logPosition: stored.logPosition, created: false };
    if (context.expectedVersion !== undefined && context.expectedVersion !== loaded.version) {
      if (retry) continue;
      throw new WrongExpectedVersionError(streamId, context.expectedVersion, loaded.version);
    }
    let events: { event: Event; subject: string | undefined }[];
    let evolving: State;
    try {
      ({ events, evolving } = decideAll(decider, loaded.state, await command(loaded.state)));
    } catch (error) {
      if (retry) continue;
      throw error;
    }
    if (events.length === 0) {
      if (retry) continue;
      return { streamId, version: loaded.version, logPosition: loaded.logPosition, created: false };
    }
    try {
      const result = await states.store.append(
        streamId,
        eventsToAppend(streamId, events, context),
        loaded.version === 0n ? 'no_stream' : loaded.version,
      );
      // A retry the store recognised returns the original append, which need not be this decision.
      if (result.streamVersion === loaded.version + BigInt(events.length)) {
        const keys = loaded.keys as Map<string, { version: bigint; logPosition: string }>;
        if (context.idempotencyKey) keys.set(context.idempotencyKey, { version: result.streamVersion, logPosition: result.logPosition });
        states.remember(streamId, decider, { version: result.streamVersion, state: evolving, tenant: context.tenant, logPosition: result.logPosition, keys });
      } else {
        states.forget(streamId);
      }
      return { streamId, version: result.streamVersion, logPosition: result.logPosition, created: true };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      states.forget(streamId);
      if (!retry && (context.expectedVersion !== undefined || fresh >= RETRIES)) throw error;
    }
  }
}

/** Decided events as the store takes them; with an idempotency key (`key`, the request's by default), their ids come from it. */
export function eventsToAppend(streamId: string, events: readonly { event: DomainEvent; subject: string | undefined }[], context: CommandContext, key = context.idempotencyKey): EventToAppend[] {
  return events.map(({ event, subject }, i) => ({
    eventId: key ? eventIdFor(key, streamId, i) : randomUUID(),
    type: event.type,
    schemaVersion: CURRENT_SCHEMA_VERSION,
    data: event.data as JsonObject,
    metadata: {
      actor: context.actor,
      ...(context.onBehalfOf ? { onBehalfOf: context.onBehalfOf } : {}),
      correlationId: context.correlationId,
      ...(context.idempotencyKey ? { causationId: causationOf(context.idempotencyKey) } : {}),
      tenant: context.tenant,
      ...(subject ? { subject } : {}),
    },
  }));
}

/** The events the commands decide, each with the data subject it is sealed for (the state after it decides that). */
export function decideAll<Command, Event extends DomainEvent, State>(
  decider: Decider<Command, Event, State>,
  state: State,
  commands: Command | Command[],
): { events: { event: Event; subject: string | undefined }[]; evolving: State } {
  const events: { event: Event; subject: string | undefined }[] = [];
  let evolving = state;
  for (const c of Array.isArray(commands) ? commands : [commands]) {
    for (const event of decider.decide(c, evolving)) {
      evolving = decider.evolve(evolving, event);
      events.push({ event, subject: decider.subjectOf?.(evolving, event) });
    }
  }
  return { events, evolving };
}
