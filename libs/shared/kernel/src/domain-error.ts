/**
 * A broken business rule. `code` is stable (tests and API clients match on it); `kind` says how an edge should
 * report it: `invalid` input, a `conflict` with the current state, something `not_found`, or `forbidden`.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: 'invalid' | 'conflict' | 'not_found' | 'forbidden';
  /** JSON pointer-like path of the input that broke the rule, when there is one. */
  readonly path: string | undefined;

  constructor(message: string, path?: string) {
    super(message);
    this.name = new.target.name;
    this.path = path;
  }
}
