import type { Principal } from '@doorbraak/application';
import type { FastifyRequest } from 'fastify';

const principals = new WeakMap<FastifyRequest, Principal>();

export function setPrincipal(request: FastifyRequest, principal: Principal): void {
  principals.set(request, principal);
}

/** The authenticated caller; the guard has run for every non-public route. */
export function callerOf(request: FastifyRequest): Principal {
  const principal = principals.get(request);
  if (!principal) throw new Error('no authenticated principal on this request');
  return principal;
}
