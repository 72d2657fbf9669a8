import { Controller, Get, Inject } from '@nestjs/common';
import type { Ledger } from '@doorbraak/ledger-infrastructure';
import type { z } from 'zod';
import { LEDGER } from '../tokens';
import type { projectionStatusSchema } from './projections.routes';
import { Permit } from '../auth/permit';

@Controller('v1/projections')
export class ProjectionsController {
  constructor(@Inject(LEDGER) private readonly ledger: Ledger) {}

  @Get()
  @Permit('operations:read')
  async list(): Promise<{ items: z.infer<typeof projectionStatusSchema>[] }> {
    const generations = await this.ledger.runtime.status();
    return { items: generations.map(({ leaseOwner: _owner, ...status }) => status) };
  }
}
