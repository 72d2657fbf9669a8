import type { FieldError } from '@doorbraak/kernel';

/** An RFC 9457 problem document. `errors` names each bad field by JSON pointer. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly code?: string;
  readonly correlationId?: string;
  readonly errors?: readonly FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(slug: string): string {
  return `tag:doorbraak-ledger,2026:problem/${slug}`;
}
