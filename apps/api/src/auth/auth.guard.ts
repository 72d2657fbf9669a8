import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InvalidTokenError, type TokenVerifier } from '@doorbraak/auth';
import { type Principal, principalClaims, principalOf } from '@doorbraak/application';
import type { Logger } from '@doorbraak/logging';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LOGGER, TOKEN_VERIFIER } from '../tokens';
import { PERMISSION, type RequiredPermission } from './permit';
import { setPrincipal } from './principal';

const BEARER = /^Bearer [A-Za-z0-9._~+/-]+=*$/;

/** Principals of verified claims, for as long as the verifier holds the claims. */
const principals = new WeakMap<object, Principal>();

/**
 * Authenticates the bearer token and checks the route's permission against the token's roles and grants.
 * Municipality isolation follows: every command and query runs for the token's municipality only.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verify: TokenVerifier,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const required = this.reflector.get<RequiredPermission | undefined>(PERMISSION, context.getHandler());
    if (required === 'public') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const principal = await this.authenticate(request, reply);
    const permission = typeof required === 'function' ? required(request) : required;
    // A route without a permission, or a request that names none (an unknown step), is refused: closed by default.
    if (!permission || !principal.permissions.has(permission)) {
      this.logger.warn({ event: 'access-denied', actor: principal.actor, tenant: principal.tenant, roles: principal.roles, permission: permission ?? null, route: request.routeOptions?.url, correlationId: request.id }, 'access denied');
      throw new ForbiddenException(permission ? `the roles ${principal.roles.join(', ')} do not have the permission ${permission}` : 'this route is not open to anyone');
    }
    setPrincipal(request, principal);
    return true;
  }

  private async authenticate(request: FastifyRequest, reply: FastifyReply): Promise<Principal> {
    const header = request.headers.authorization;
    const token = typeof header === 'string' && BEARER.test(header) ? header.slice(7) : undefined;
    if (!token) {
      challenge(reply);
      throw new UnauthorizedException('a bearer token is required (Authorization: Bearer <token>)');
    }
    try {
      const verified = await this.verify(token);
      // A remembered token gives the same claims object (ADR 0015), so its principal is made once too.
      const known = principals.get(verified);
      if (known) return known;
      const claims = principalClaims.safeParse(verified);
      if (!claims.success) throw new InvalidTokenError(`the token's claims are not valid: ${claims.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      const principal = principalOf(claims.data);
      principals.set(verified, principal);
      return principal;
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      challenge(reply, 'invalid_token');
      throw new UnauthorizedException(error.reason);
    }
  }
}

/** Asks for a bearer token (RFC 6750), naming what was wrong with the one sent. */
function challenge(reply: FastifyReply, error?: string): void {
  void reply.header('www-authenticate', error ? `Bearer realm="doorbraak-ledger", error="${error}"` : 'Bearer realm="doorbraak-ledger"');
}
