import { Controller, Get, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readFile, realpath } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { Public } from '../auth/permit';
import type { ApiConfig } from '../config';
import { API_CONFIG } from '../tokens';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Lower-case names, folders and one extension: no dots, escapes or empty segments, so no way out of the web build. */
const WEB_FILE = /^(?:[a-z0-9-]+\/){0,4}[a-z0-9-]+\.(?:html|js|css|svg)$/;

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** The web pages (apps/web, built into LEDGER_WEB_DIR): `/` and the files under `/web/`. Public, as static files are. */
@Controller()
export class WebAssetsController {
  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  @Get()
  @Public()
  index(@Res() reply: FastifyReply) {
    return this.send(reply, 'index.html');
  }

  @Get('web/*')
  @Public()
  file(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const path = (request.params as { '*'?: string })['*'] ?? '';
    if (!WEB_FILE.test(path)) throw new NotFoundException(`Cannot GET ${request.url}`);
    return this.send(reply, path);
  }

  private async send(reply: FastifyReply, path: string) {
    const root = await realpath(this.config.LEDGER_WEB_DIR).catch(() => undefined);
    const file = root && (await realpath(join(root, path)).catch(() => undefined));
    if (!root || !file || !file.startsWith(root + sep)) throw new NotFoundException(`Cannot GET /web/${path}`);
    const body = await readFile(file);
    void reply.headers({ ...SECURITY_HEADERS, 'content-type': CONTENT_TYPES[extname(file)]! }).send(body);
  }
}
