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

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/** A place in the document still to compare with the parsed value: an object or array, and how it was reached. */
interface Visit {
  readonly input: object;
  readonly output: unknown;
  readonly key?: PropertyKey;
  readonly parent?: Visit;
}

/** The keys from the document's root to a visited place. */
function pathOf(visit: Visit): PropertyKey[] {
  const path: PropertyKey[] = [];
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent) path.unshift(at.key!);
  return path;
}

/**
 * Parses a JSON document with `schema` and refuses any key the schema does not know, at any depth: an object
 * schema that is not strict would drop such a key silently. A key is unknown where the document holds it and the
 * parsed value, an object at the same place, does not. Throws a ZodError as `schema.parse` does.
 */
export function parseDocument<S extends z.ZodType>(schema: S, document: unknown): z.infer<S> {
  const parsed = schema.parse(document) as z.infer<S>;
  if (typeof document !== 'object' || document === null) return parsed;
  const issues: z.core.$ZodIssue[] = [];
  // Only objects and arrays can hold a key: texts and numbers are not visited.
  const pending: Visit[] = [{ input: document, output: parsed }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { input, output } = next;
    if (Array.isArray(input)) {
      if (!Array.isArray(output) || input.length !== output.length) continue;
      input.forEach((item: unknown, i) => {
        if (typeof item === 'object' && item !== null) pending.push({ input: item, output: output[i], key: i, parent: next });
      });
    } else if (isPlainObject(input) && isPlainObject(output)) {
      let unknown: string[] | undefined;
      for (const key of Object.keys(input)) {
        const item = input[key];
        if (!Object.hasOwn(output, key)) (unknown ??= []).push(key);
        else if (typeof item === 'object' && item !== null) pending.push({ input: item, output: output[key], key, parent: next });
      }
      if (unknown) issues.push({ code: 'unrecognized_keys', keys: unknown, path: pathOf(next), message: `Unrecognized key(s): ${unknown.join(', ')}`, input });
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
