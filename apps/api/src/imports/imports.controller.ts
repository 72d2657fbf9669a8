import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ImportHouseholds, type ImportResult, householdDocumentSchema } from '@doorbraak/application';
import type { FastifyRequest } from 'fastify';
import { commandContext, parseBody } from '../http/request-context';
import { Permit } from '../auth/permit';

/** Import of whole plans in the exchange format (docs/import/household-plans.schema.json). */
@Controller('v1/imports')
export class ImportsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Permit('case:write')
  @HttpCode(200)
  async import(@Req() request: FastifyRequest, @Body() body: unknown): Promise<ImportResult & { summary: Record<string, number> }> {
    const context = commandContext(request);
    const document = parseBody(householdDocumentSchema, body);
    const result: ImportResult = await this.commands.execute(new ImportHouseholds(document, context));
    const statuses = result.households.flatMap((h) => h.plans.map((p) => p.status));
    return { ...result, summary: Object.fromEntries(['imported', 'unchanged', 'failed'].map((s) => [s, statuses.filter((x) => x === s).length])) };
  }
}
