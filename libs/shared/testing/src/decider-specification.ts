interface AnyDecider<Command, Event, State> {
  readonly initialState: State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
}

/**
 * Given/when/then for pure deciders.
 *
 * ```ts
 * const spec = DeciderSpecification.for(planDecider);
 * spec.given([drafted]).when(submit).thenThrows(PlanIncomplete);
 * spec.given([drafted, ...steps]).when(submit).then([submitted]);
 * ```
 */
export const DeciderSpecification = {
  for<Command, Event, State>(decider: AnyDecider<Command, Event, State>) {
    return {
      given(events: readonly Event[]) {
        const state = events.reduce(decider.evolve, decider.initialState);
        return {
          when(command: Command) {
            const run = () => decider.decide(command, state);
            return {
              then(expected: readonly Event[]): void {
                expect(run()).toEqual(expected);
              },
              thenThrows(errorClass: abstract new (...args: never[]) => Error, message?: string | RegExp): Error {
                let thrown: unknown;
                try {
                  run();
                } catch (error) {
                  thrown = error;
                }
                expect(thrown).toBeInstanceOf(errorClass);
                if (message !== undefined) expect((thrown as Error).message).toMatch(message);
                return thrown as Error;
              },
            };
          },
        };
      },
    };
  },
};
