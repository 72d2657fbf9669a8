import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RecordAccess, purposeOf } from '@doorbraak/application';
import type { PersonalDataAccessed } from '@doorbraak/domain';
import type { FastifyRequest } from 'fastify';
import { commandContext } from '../http/request-context';
import { callerOf } from './principal';

export type Access = Pick<PersonalDataAccessed, 'action' | 'object' | 'householdIds' | 'narrativeDisclosed'>;

/** Writes the access log entry of a request that touches households' data, before the answer is sent. */
@Injectable()
export class AccessLogger {
  constructor(private readonly commands: CommandBus) {}

  async record(request: FastifyRequest, access: Access): Promise<void> {
    const principal = callerOf(request);
    await this.commands.execute(
      new RecordAccess(
        {
          ...access,
          result: 'granted',
          purpose: purposeOf(principal),
          authorisation: { roles: [...principal.roles], grants: [...principal.grants] },
          breakGlass: false,
          origin: request.ip,
          traceId: request.id,
        },
        commandContext(request),
      ),
    );
  }
}
