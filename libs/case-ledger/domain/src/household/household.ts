import { DomainError } from '@doorbraak/kernel';
import { z } from 'zod';
import { type Decider, unreachable } from '../shared/decider';
import { type FreeTextShape, type Sealed, sealFreeText } from '../shared/free-text';
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
  /**
   * The household's personal data was destroyed (its data key, so every personal part of its events). Holds no
   * personal data itself: the legal basis, the selectielijst category and which plans it covered.
   */
  HouseholdDataErased: z.object({
    householdId: id,
    erasedOn: isoDate,
    basis: z.enum(['retention-period-ended', 'data-subject-request', 'unlawful-processing']),
    selectielijstCategory: z.string().regex(/^[0-9A-Za-z.\- ]{1,40}$/, 'must be a selectielijst category such as 1.1.56').optional(),
    planIds: z.array(id).max(1_000),
  }),
} as const;

/** The free text of household events, stored under `personal` (the pseudonymous reference is a code). */
export const householdFreeText = {
  HouseholdOpened: {},
  RegieAssigned: { reason: true },
  HouseholdClosed: { reason: true },
  HouseholdDataErased: {},
} as const satisfies Record<keyof typeof householdEventSchemas, FreeTextShape>;

type Schemas = typeof householdEventSchemas;
type Content<K extends keyof Schemas> = z.infer<Schemas[K]>;
export type HouseholdEvent = { [K in keyof Schemas]: { type: K; data: Sealed<Content<K>, (typeof householdFreeText)[K]> } }[keyof Schemas];

export type HouseholdCommand =
  | { type: 'OpenHousehold'; data: Content<'HouseholdOpened'> }
  | { type: 'AssignRegie'; data: Content<'RegieAssigned'> }
  | { type: 'CloseHousehold'; data: Content<'HouseholdClosed'> }
  | { type: 'EraseHouseholdData'; data: Content<'HouseholdDataErased'> };

const sealed = <K extends keyof Schemas>(type: K, content: Content<K>): HouseholdEvent => ({ type, data: sealFreeText(content, householdFreeText[type]) }) as unknown as HouseholdEvent;

export type HouseholdState =
  | { status: 'none' }
  | { status: 'open' | 'closed' | 'erased'; householdId: string; reference: string; regisseur: { professionalId: string; role: string } };

export class HouseholdAlreadyOpened extends DomainError {
  readonly code = 'HOUSEHOLD.ALREADY_OPENED';
  readonly kind = 'conflict';
}
export class HouseholdNotOpen extends DomainError {
  readonly code = 'HOUSEHOLD.NOT_OPEN';
  readonly kind = 'conflict';
}

export class HouseholdNotClosed extends DomainError {
  readonly code = 'HOUSEHOLD.NOT_CLOSED';
  readonly kind = 'conflict';
}

export const householdDecider: Decider<HouseholdCommand, HouseholdEvent, HouseholdState> = {
  initialState: { status: 'none' },
  decide(command, state) {
    switch (command.type) {
      case 'OpenHousehold':
        if (state.status !== 'none') throw new HouseholdAlreadyOpened(`household ${state.householdId} already exists`);
        return [sealed('HouseholdOpened', command.data)];
      case 'AssignRegie':
        if (state.status !== 'open') throw new HouseholdNotOpen('regie can only be assigned on an open household');
        return [sealed('RegieAssigned', command.data)];
      case 'CloseHousehold':
        if (state.status !== 'open') throw new HouseholdNotOpen('only an open household can be closed');
        return [sealed('HouseholdClosed', command.data)];
      case 'EraseHouseholdData':
        if (state.status !== 'closed') throw new HouseholdNotClosed(state.status === 'erased' ? 'the personal data of this household was erased before' : 'close the household before erasing its personal data');
        return [sealed('HouseholdDataErased', command.data)];
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
      case 'HouseholdDataErased':
        return state.status === 'none' ? state : { ...state, status: 'erased' };
      default:
        return unreachable(event);
    }
  },
  subjectOf: (state) => (state.status === 'none' ? undefined : state.householdId),
};

