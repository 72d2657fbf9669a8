import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RecordAccess, purposeOf } from '@doorbraak/application';
import { type PersonalDataAccessed, replacePersonal } from '@doorbraak/domain';
import type { FastifyRequest } from 'fastify';
import { commandContext } from '../http/request-context';
import { callerOf } from './principal';

export type Access = Pick<PersonalDataAccessed, 'action' | 'object' | 'householdIds' | 'narrativeDisclosed'>;

const WITHHELD = Object.freeze({ withheld: true });

/** A document as the caller may see it: every `personal` part (narrative and free text) withheld without `narrative:read`. */
export function visibleTo<T>(request: FastifyRequest, document: T): T {
  return callerOf(request).permissions.has('narrative:read') ? document : replacePersonal(document, WITHHELD);
}

/** Writes the access log entry of a request that touches households' data, before the answer is sent. */
@Injectable()
export class AccessLogger {
  constructor(private readonly commands: CommandBus) {}

  /** The document as the caller may see it (narrative withheld without `narrative:read`), after logging the read. */
  async disclose<T>(request: FastifyRequest, document: T, access: Omit<Access, 'action' | 'narrativeDisclosed'>): Promise<T> {
    const narrativeDisclosed = callerOf(request).permissions.has('narrative:read');
    await this.record(request, { action: 'read', ...access, narrativeDisclosed });
    return visibleTo(request, document);
  }

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
