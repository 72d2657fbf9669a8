import type { FastifyInstance } from 'fastify';
import { forbiddenKey } from '@doorbraak/kernel';

/**
 * A key that would reach an object's prototype if the body were ever merged with Object.assign: `__proto__`, or
 * `constructor` holding a `prototype`. Refused at its own pointer, like any other field at fault.
 */
export class ForbiddenKeyError extends Error {
  readonly statusCode = 400;

  constructor(readonly pointer: string) {
    super(`the body holds a key that may not be used (${pointer})`);
  }
}

const MAY_HOLD_FORBIDDEN_KEY = /__proto__|constructor|\\u/;

/** Parses JSON bodies and names a prototype key by its pointer. */
export function useJsonBodyParser(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) => {
    if (text === '') return done(Object.assign(new Error("the body is empty but its content-type is 'application/json'"), { statusCode: 400 }));
    let body: unknown;
    try {
      body = JSON.parse(text as string);
    } catch (error) {
      return done(Object.assign(new Error(`the body is not valid JSON: ${(error as Error).message}`), { statusCode: 400 }));
    }
    // Only a body that spells such a key, or escapes a character (`\u005f_proto__`), is walked for it.
    const pointer = MAY_HOLD_FORBIDDEN_KEY.test(text as string) ? forbiddenKey(body) : undefined;
    return pointer ? done(new ForbiddenKeyError(pointer)) : done(null, body);
  });
}
