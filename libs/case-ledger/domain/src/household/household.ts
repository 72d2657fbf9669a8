import { DomainError } from '@doorbraak/kernel';
import { z } from 'zod';
import { type Decider, unreachable } from '../shared/decider';
import { actorId, id, isoDate, role, text } from '../shared/schemas';

/** A household (case) in a municipality, known in events by a pseudonymous reference only. */
export const householdEventSchemas = {
  HouseholdOpened: z.object({
    householdId: id,
    reference: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'must be a pseudonymous reference (letters, digits, -)'),
    openedOn: isoDate,
    regisseur: z.object({ professionalId: actorId, role }),
    personal: z.object({ alias: text(100).optional(), summary: text(4_000).optional() }),
  }),
  RegieAssigned: z.object({ householdId: id, professionalId: actorId, role, assignedOn: isoDate, reason: text(500) }),
  HouseholdClosed: z.object({ householdId: id, closedOn: isoDate, reason: text(500) }),
} as const;

type Schemas = typeof householdEventSchemas;
export type HouseholdEvent = { [K in keyof Schemas]: { type: K; data: z.infer<Schemas[K]> } }[keyof Schemas];

export type HouseholdCommand =
  | { type: 'OpenHousehold'; data: z.infer<Schemas['HouseholdOpened']> }
  | { type: 'AssignRegie'; data: z.infer<Schemas['RegieAssigned']> }
  | { type: 'CloseHousehold'; data: z.infer<Schemas['HouseholdClosed']> };

export type HouseholdState =
  | { status: 'none' }
  | { status: 'open' | 'closed'; householdId: string; reference: string; regisseur: { professionalId: string; role: string } };

export class HouseholdAlreadyOpened extends DomainError {
  readonly code = 'HOUSEHOLD.ALREADY_OPENED';
  readonly kind = 'conflict';
}
export class HouseholdNotOpen extends DomainError {
  readonly code = 'HOUSEHOLD.NOT_OPEN';
  readonly kind = 'conflict';
}

export const householdDecider: Decider<HouseholdCommand, HouseholdEvent, HouseholdState> = {
  initialState: { status: 'none' },
  decide(command, state) {
    switch (command.type) {
      case 'OpenHousehold':
        if (state.status !== 'none') throw new HouseholdAlreadyOpened(`household ${state.householdId} already exists`);
        return [{ type: 'HouseholdOpened', data: command.data }];
      case 'AssignRegie':
        if (state.status !== 'open') throw new HouseholdNotOpen('regie can only be assigned on an open household');
        return [{ type: 'RegieAssigned', data: command.data }];
      case 'CloseHousehold':
        if (state.status !== 'open') throw new HouseholdNotOpen('only an open household can be closed');
        return [{ type: 'HouseholdClosed', data: command.data }];
      default:
        return unreachable(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'HouseholdOpened':
        return { status: 'open', householdId: event.data.householdId, reference: event.data.reference, regisseur: event.data.regisseur };
      case 'RegieAssigned':
        return state.status === 'none' ? state : { ...state, regisseur: { professionalId: event.data.professionalId, role: event.data.role } };
      case 'HouseholdClosed':
        return state.status === 'none' ? state : { ...state, status: 'closed' };
      default:
        return unreachable(event);
    }
  },
};

