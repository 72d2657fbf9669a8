/** An event as the domain sees it: a past-tense type and its data. The store adds the envelope. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/**
 * A pure decider: `decide` turns a command and the current state into new events or throws a named
 * `DomainError`; `evolve` folds an event into the state. No I/O, no clock: time arrives in commands.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  readonly initialState: State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  /**
   * The data subject (a household) whose key seals the `personal` part of an event, given the state after it:
   * the stream's household, or for a budget the household of the spend the event is about.
   */
  subjectOf?(state: State, event: Event): string | undefined;
}

export function fold<Event extends DomainEvent, State>(decider: Pick<Decider<never, Event, State>, 'evolve' | 'initialState'>, events: readonly Event[]): State {
  return events.reduce(decider.evolve, decider.initialState);
}

/** The `never` guard that ends every switch over a union. */
export function unreachable(value: never): never {
  throw new Error(`unhandled ${JSON.stringify(value)}`);
}
