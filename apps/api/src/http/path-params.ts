import { z } from 'zod';
import { parseAt } from './parse-at';

const uuid = z.string().uuid();
const schemas = new Map<string, z.ZodObject>();

/** Parses path ids; a malformed one is a 400 pointing at #/path/<name>. */
export function pathIds<K extends string>(params: Record<K, string>): Record<K, string> {
  const names = Object.keys(params).join(',');
  let schema = schemas.get(names);
  if (!schema) schemas.set(names, (schema = z.object(Object.fromEntries(Object.keys(params).map((k) => [k, uuid])))));
  return parseAt('path', schema, params) as Record<K, string>;
}
