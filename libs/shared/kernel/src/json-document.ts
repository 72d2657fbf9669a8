import { ZodError, type z } from 'zod';

/** A field at fault in a JSON document, named by its JSON pointer. */
export interface FieldError {
  readonly pointer: string;
  readonly detail: string;
}

/** The RFC 6901 JSON pointer (as a URI fragment) of a path into a JSON document. */
export function toPointer(path: readonly PropertyKey[]): string {
  return `#/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

/**
 * The pointer of a key that would reach an object's prototype if the document were ever merged with
 * Object.assign: `__proto__`, or `constructor` holding a `prototype`. Walks the document without recursion, so
 * nesting of any depth is safe.
 */
export function forbiddenKey(document: unknown): string | undefined {
  const pending: { value: unknown; path: string[] }[] = [{ value: document, path: [] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value !== 'object' || value === null) continue;
    for (const [key, child] of Object.entries(value)) {
      if (key === '__proto__' || (key === 'constructor' && typeof child === 'object' && child !== null && 'prototype' in child)) return toPointer([...path, key]);
      pending.push({ value: child, path: [...path, key] });
    }
  }
  return undefined;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && [Object.prototype, null].includes(Object.getPrototypeOf(value));

/**
 * Parses a JSON document with `schema` and refuses any key the schema does not know, at any depth: an object
 * schema that is not strict would drop such a key silently. A key is unknown where the document holds it and the
 * parsed value, an object at the same place, does not. Throws a ZodError as `schema.parse` does.
 */
export function parseDocument<S extends z.ZodType>(schema: S, document: unknown): z.infer<S> {
  const parsed = schema.parse(document) as z.infer<S>;
  const issues: z.core.$ZodIssue[] = [];
  const pending: { input: unknown; output: unknown; path: PropertyKey[] }[] = [{ input: document, output: parsed, path: [] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { input, output, path } = next;
    if (Array.isArray(input) && Array.isArray(output) && input.length === output.length) {
      input.forEach((item, i) => pending.push({ input: item, output: output[i], path: [...path, i] }));
    } else if (isPlainObject(input) && isPlainObject(output)) {
      const unknown = Object.keys(input).filter((key) => !Object.hasOwn(output, key));
      if (unknown.length > 0) issues.push({ code: 'unrecognized_keys', keys: unknown, path, message: `Unrecognized key(s): ${unknown.join(', ')}`, input });
      for (const key of Object.keys(input)) if (Object.hasOwn(output, key)) pending.push({ input: input[key], output: output[key], path: [...path, key] });
    }
  }
  if (issues.length > 0) throw new ZodError(issues);
  return parsed;
}

/** A schema's refusal as field errors; an unknown key is named by its own pointer, not by the object holding it. */
export function fieldErrors(error: ZodError): FieldError[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' ? issue.keys.map((key) => ({ pointer: toPointer([...issue.path, key]), detail: 'is not a known field' })) : [{ pointer: toPointer(issue.path), detail: issue.message }],
  );
}

export const FORBIDDEN_KEY = 'is a key that may not be used';
