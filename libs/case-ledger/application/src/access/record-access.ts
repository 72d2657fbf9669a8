import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler, Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CURRENT_SCHEMA_VERSION, type PersonalDataAccessed, accessEventSchemas, accessStream } from '@doorbraak/domain';
import type { EventStore, JsonObject, LogPosition, ReadModels } from '@doorbraak/event-store';
import { type AccessLogFilter, accessLogQuery } from '@doorbraak/projections';
import { randomUUID } from 'node:crypto';
import { type CommandContext, EVENT_STORE } from '../shared/command-context';
import { READ_MODELS } from '../read-models/read-model-queries';

/** Records one access before its answer leaves the ledger: if the access cannot be logged, it is not given. */
export class RecordAccess extends Command<LogPosition> {
  constructor(
    readonly access: Omit<PersonalDataAccessed, 'accessId'>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RecordAccess)
export class RecordAccessHandler implements ICommandHandler<RecordAccess, LogPosition> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ access, context }: RecordAccess): Promise<LogPosition> {
    const accessId = randomUUID();
    const data = accessEventSchemas.PersonalDataAccessed.parse({ accessId, ...access });
    const { logPosition } = await this.store.append(
      accessStream(accessId),
      [
        {
          eventId: accessId,
          type: 'PersonalDataAccessed',
          schemaVersion: CURRENT_SCHEMA_VERSION,
          data: data as JsonObject,
          metadata: { actor: context.actor, ...(context.onBehalfOf ? { onBehalfOf: context.onBehalfOf } : {}), correlationId: context.correlationId, tenant: context.tenant },
        },
      ],
      'no_stream',
    );
    return logPosition;
  }
}

export class GetAccessLog extends Query<JsonObject[]> {
  constructor(readonly filter: AccessLogFilter, readonly consistentWith?: LogPosition) {
    super();
  }
}

@QueryHandler(GetAccessLog)
export class GetAccessLogHandler implements IQueryHandler<GetAccessLog, JsonObject[]> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  async execute({ filter, consistentWith }: GetAccessLog): Promise<JsonObject[]> {
    return (await this.readModels.query<{ doc: JsonObject }>('access_log', (t) => accessLogQuery(t, filter), consistentWith)).map((r) => r.doc);
  }
}
