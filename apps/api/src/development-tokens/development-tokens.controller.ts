import { Body, Controller, HttpCode, Inject, NotFoundException, Post, Req } from '@nestjs/common';
import { principalClaims } from '@doorbraak/application';
import { issueDevelopmentToken } from '@doorbraak/ledger-infrastructure';
import type { FastifyRequest } from 'fastify';
import { Public } from '../auth/permit';
import { parseBody } from '../http/request-context';
import type { ApiConfig } from '../config';
import { API_CONFIG } from '../tokens';

export const developmentTokenRequest = principalClaims.strict();

const LIFETIME_SECONDS = 8 * 60 * 60;

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Development login for the web pages: a token signed by the development key, like `ledger token`. It does not
 * exist in production, when tokens come from an identity provider, or when the API listens beyond this machine
 * (anyone who reached it could take any role): then every request gets 404.
 */
@Controller('v1/development-tokens')
export class DevelopmentTokensController {
  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  @Post()
  @Public()
  @HttpCode(200)
  async issue(@Req() request: FastifyRequest, @Body() body: unknown) {
    if (this.config.NODE_ENV === 'production' || this.config.LEDGER_AUTH_JWKS_URL || this.config.LEDGER_AUTH_PUBLIC_KEY || !LOOPBACK.has(this.config.HOST)) {
      throw new NotFoundException(`Cannot POST ${request.url}`);
    }
    const claims = parseBody(developmentTokenRequest, body);
    const token = await issueDevelopmentToken(this.config, claims, `${LIFETIME_SECONDS}s`);
    return { token, tokenType: 'Bearer', expiresIn: LIFETIME_SECONDS };
  }
}
