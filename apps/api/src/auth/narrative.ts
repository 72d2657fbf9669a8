import { replacePersonal } from '@doorbraak/domain';
import type { FastifyRequest } from 'fastify';
import { callerOf } from './principal';

const WITHHELD = Object.freeze({ withheld: true });

/** The document as the caller may see it: narrative only with `narrative:read`, otherwise `{ withheld: true }`. */
export function asDisclosedTo<T>(request: FastifyRequest, document: T): { document: T; narrativeDisclosed: boolean } {
  const narrativeDisclosed = callerOf(request).permissions.has('narrative:read');
  return { document: narrativeDisclosed ? document : replacePersonal(document, WITHHELD), narrativeDisclosed };
}
