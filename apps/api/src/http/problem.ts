/** An RFC 9457 problem document. `errors` names each bad field by JSON pointer. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly code?: string;
  readonly correlationId?: string;
  readonly errors?: readonly { readonly pointer: string; readonly detail: string }[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(slug: string): string {
  return `tag:doorbraak-ledger,2026:problem/${slug}`;
}

/** The RFC 6901 JSON pointer (as a URI fragment) of a path into the request body. */
export function toPointer(path: readonly PropertyKey[]): string {
  return `#/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}
