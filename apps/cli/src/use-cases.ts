import { NestFactory } from '@nestjs/core';
import { CommandBus, CqrsModule, QueryBus } from '@nestjs/cqrs';
import { LedgerApplicationModule } from '@doorbraak/application';
import type { Ledger } from '@doorbraak/ledger-infrastructure';
import { Module } from '@nestjs/common';

/** The ledger's command and query buses, for commands that run use cases (import, export, demo). */
export async function useCases(ledger: Ledger): Promise<{ commands: CommandBus; queries: QueryBus; close(): Promise<void> }> {
  @Module({ imports: [CqrsModule.forRoot(), LedgerApplicationModule.register(ledger.store, ledger.runtime, ledger.shredder)] })
  class CliModule {}
  const app = await NestFactory.createApplicationContext(CliModule, { logger: false });
  return { commands: app.get(CommandBus), queries: app.get(QueryBus), close: () => app.close() };
}
