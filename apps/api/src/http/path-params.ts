import { z } from 'zod';

const uuid = z.string().uuid();

/** Parses path ids; a malformed one is a 400 pointing at #/path/<name>. */
export function pathIds<K extends string>(params: Record<K, string>): Record<K, string> {
  const shape = Object.fromEntries(Object.keys(params).map((k) => [k, uuid])) as Record<K, typeof uuid>;
  return z.object({ path: z.object(shape) }).parse({ path: params }).path as Record<K, string>;
}
