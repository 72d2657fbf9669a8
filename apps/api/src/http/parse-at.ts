import { z } from 'zod';

/**
 * Parses one part of a request with a schema built once; a failure points at `#/<part>/<field>`. (Wrapping the
 * schema in `z.object({ [part]: … })` per request would make zod compile a new parser every time.)
 */
export function parseAt<S extends z.ZodType>(part: 'path' | 'query' | 'headers', schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new z.ZodError(result.error.issues.map((issue) => ({ ...issue, path: [part, ...issue.path] })));
}
