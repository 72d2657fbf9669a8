import { type DynamicModule, Module } from '@nestjs/common';
import type { EventStore, ReadModels } from '@doorbraak/event-store';
import { READ_MODELS, readModelHandlers } from './read-models/read-model-queries';
import { ExecuteBudgetCommandHandler } from './budget-commands/execute-budget-command';
import { CommitSpendHandler } from './commit-spend/commit-spend';
import { DecidePlanHandler } from './decide-plan/decide-plan';
import { ExecuteHouseholdCommandHandler } from './household-commands/execute-household-command';
import { ExportHouseholdHandler } from './import-export/export-household';
import { ImportHouseholdsHandler } from './import-export/import-households';
import { ExecuteMandateCommandHandler } from './mandate-commands/execute-mandate-command';
import { ExecutePlanCommandHandler } from './plan-commands/execute-plan-command';
import { GetPlanHandler } from './queries/get-plan';
import { GetStreamStateHandler } from './queries/get-stream-state';
import { EVENT_STORE } from './shared/command-context';
import { STREAM_STATES, StreamStates } from './shared/stream-states';
import { GetAccessLogHandler, RecordAccessHandler } from './access/record-access';
import { EraseHouseholdHandler, type PersonalDataShredder, SHREDDER } from './erase-household/erase-household';

const handlers = [
  ExecutePlanCommandHandler,
  DecidePlanHandler,
  ExecuteHouseholdCommandHandler,
  EraseHouseholdHandler,
  ExecuteMandateCommandHandler,
  ExecuteBudgetCommandHandler,
  CommitSpendHandler,
  ImportHouseholdsHandler,
  ExportHouseholdHandler,
  GetPlanHandler,
  GetStreamStateHandler,
  RecordAccessHandler,
  GetAccessLogHandler,
  ...readModelHandlers,
];

/** The ledger's use cases on the CQRS buses; the caller provides the event store, the read models and the shredder. */
@Module({})
export class LedgerApplicationModule {
  static register(store: EventStore, readModels: ReadModels, shredder: PersonalDataShredder): DynamicModule {
    return {
      module: LedgerApplicationModule,
      providers: [{ provide: EVENT_STORE, useValue: store }, { provide: STREAM_STATES, useValue: new StreamStates(store) }, { provide: READ_MODELS, useValue: readModels }, { provide: SHREDDER, useValue: shredder }, ...handlers],
    };
  }
}
