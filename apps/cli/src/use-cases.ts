import { NestFactory } from '@nestjs/core';
import { CommandBus, CqrsModule, QueryBus } from '@nestjs/cqrs';
import { LedgerApplicationModule } from '@doorbraak/application';
import type { EventStore, ReadModels } from '@doorbraak/event-store';
import { Module } from '@nestjs/common';

/** The ledger's command and query buses, for commands that run use cases (import, export, demo). */
export async function useCases(store: EventStore, readModels: ReadModels): Promise<{ commands: CommandBus; queries: QueryBus; close(): Promise<void> }> {
  @Module({ imports: [CqrsModule.forRoot(), LedgerApplicationModule.register(store, readModels)] })
  class CliModule {}
  const app = await NestFactory.createApplicationContext(CliModule, { logger: false });
  return { commands: app.get(CommandBus), queries: app.get(QueryBus), close: () => app.close() };
}
