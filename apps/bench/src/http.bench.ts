import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { COST_LINE, EVENTS_PER_PLAN } from './append.bench';
import type { Municipality } from './import.bench';
import { type RateFigures, closedLoop } from './measure';

/**
 * One event per command through the HTTP API (Fastify in process, no socket), the same sequence as the store
 * benchmark: each writer drafts a plan for a household and adds cost lines with `If-Match`. `token` is a bearer
 * token of a professional of the municipality.
 */
export function apiAppends(app: NestFastifyApplication, token: string, where: Municipality, writers: number, seconds: number): Promise<RateFigures> {
  const headers = { authorization: `Bearer ${token}` };
  const post = async (url: string, payload: object, extra: Record<string, string> = {}) => {
    const response = await app.inject({ method: 'POST', url, payload, headers: { ...headers, ...extra } });
    if (response.statusCode !== 201) throw new Error(`POST ${url} answered ${response.statusCode}: ${response.body}`);
    return response.headers['etag'] as string;
  };
  return closedLoop(writers, seconds, async () => {
    let planId = '';
    let etag = '';
    let commands = 0;
    return async () => {
      if (commands % EVENTS_PER_PLAN === 0) {
        planId = randomUUID();
        etag = await post('/v1/plans', { planId, householdId: where.householdId, title: 'Doorbraakplan', draftedOn: '2026-02-03' });
      } else {
        etag = await post(`/v1/plans/${planId}/cost-lines`, COST_LINE, { 'if-match': etag });
      }
      commands += 1;
    };
  });
}
