import { z } from 'zod';

export interface ResponseDoc {
  readonly description: string;
  readonly schema?: z.ZodType;
  readonly example?: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** How one endpoint appears in the OpenAPI document; each feature exports its own list. */
export interface RouteDoc {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path, e.g. `/v1/plans/{planId}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly headers?: readonly { readonly name: string; readonly description: string; readonly required?: boolean }[];
  readonly body?: { readonly schema: z.ZodType; readonly example: unknown };
  readonly responses: Readonly<Record<string, ResponseDoc>>;
  /** Reachable without a bearer token. */
  readonly public?: boolean;
}

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string().optional(),
    correlationId: z.string().optional(),
    errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });
