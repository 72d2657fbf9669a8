import { freeTextOf } from '@doorbraak/domain';

type Shape = { readonly [field: string]: true | Shape | readonly [Shape] };
const inner = (part: Shape | readonly [Shape]): Shape => (Array.isArray(part) ? part[0] : part) as Shape;

/** Every free-text field of every event type, as `Type.path` (`[]` for the items of a list). */
function pathsOf(shape: Shape, prefix: string): string[] {
  return Object.entries(shape).flatMap(([key, part]) => (part === true ? [`${prefix}${key}`] : pathsOf(inner(part), `${prefix}${key}${Array.isArray(part) ? '[]' : ''}.`)));
}
export const freeTextPaths = Object.entries(freeTextOf).flatMap(([type, shape]) => pathsOf(shape as Shape, `${type}.`));
const freeTextKeys = new Set(freeTextPaths.map((p) => p.split('.').at(-1)!));

/** The free text an event of `type` holds in its personal part, path by path. */
export function freeTextIn(type: keyof typeof freeTextOf, personal: unknown): [string, string][] {
  const walk = (shape: Shape, from: unknown, prefix: string): [string, string][] =>
    Object.entries(shape).flatMap(([key, part]): [string, string][] => {
      const value = ((from ?? {}) as Record<string, unknown>)[key];
      if (value === undefined) return [];
      if (part === true) return (Array.isArray(value) ? value : [value]).map((v) => [`${prefix}${key}`, String(v)]);
      if (Array.isArray(part)) return (value as unknown[]).flatMap((item) => walk(inner(part), item, `${prefix}${key}[].`));
      return walk(part as Shape, value, `${prefix}${key}.`);
    });
  return walk(freeTextOf[type] as Shape, personal, `${type}.`);
}

/** Whether a string of a household document at `key` (inside `parent`) is free text: a payee is a creditor and a closure's reason a code (ADR 0020). */
const isFreeText = (key: string, parent: string) => freeTextKeys.has(key) && parent !== 'payee' && parent !== 'closed';

/** A copy of (part of) a household document with `alias` written into every free-text field. */
export function withAlias<T>(value: T, alias: string, key = '', parent = ''): T {
  if (typeof value === 'string') return (isFreeText(key, parent) ? `${alias}: ${value}` : value) as T;
  if (Array.isArray(value)) return value.map((v) => withAlias(v, alias, key, parent)) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withAlias(v, alias, k, key)])) as T;
}

/**
 * Every free text and narrative of (part of) a household document: what no one without its personal data may
 * see. With `facts`, the other strings instead (codes, citations, role names, dates).
 */
export function householdTexts(value: unknown, key = '', parent = '', personal = false, facts = false): string[] {
  if (typeof value === 'string') return (personal || isFreeText(key, parent)) !== facts ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => householdTexts(v, key, parent, personal, facts));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => householdTexts(v, k, key, personal || k === 'personal', facts));
}
