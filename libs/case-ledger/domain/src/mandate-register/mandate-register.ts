import { DomainError, Money } from '@doorbraak/kernel';
import { z } from 'zod';
import { type DecisionRole, decisionRoles, type FundingSource } from '../reference/code-lists';
import { type Decider, unreachable } from '../shared/decider';
import { decisionRole, fundingSource, id, isoDate, nonNegativeAmount, text } from '../shared/schemas';

export const decisionKinds = ['doorbraak', 'spend'] as const;
export type DecisionKind = (typeof decisionKinds)[number];

/**
 * The mandate register of one municipality, a stream of its own: which role may take which decisions, on
 * behalf of which body (*namens*), deviating from which laws, up to which amounts, from when.
 */
export const mandateEventSchemas = {
  MandateGranted: z.object({
    mandateId: id,
    role: decisionRole,
    onBehalfOf: text(200),
    decisionKinds: z.array(z.enum(decisionKinds)).min(1),
    fundingSources: z.array(fundingSource).min(1),
    maxPerSpend: nonNegativeAmount,
    maxPerPlan: nonNegativeAmount,
    validFrom: isoDate,
    validUntil: isoDate.optional(),
  }),
  MandateRevoked: z.object({ mandateId: id, revokedOn: isoDate, reason: text(500) }),
} as const;

type Schemas = typeof mandateEventSchemas;
export type MandateEvent = { [K in keyof Schemas]: { type: K; data: z.infer<Schemas[K]> } }[keyof Schemas];
export type MandateCommand =
  | { type: 'GrantMandate'; data: z.infer<Schemas['MandateGranted']> }
  | { type: 'RevokeMandate'; data: z.infer<Schemas['MandateRevoked']> };

export interface Mandate {
  readonly mandateId: string;
  readonly role: DecisionRole;
  readonly onBehalfOf: string;
  readonly decisionKinds: readonly DecisionKind[];
  readonly fundingSources: readonly FundingSource[];
  readonly maxPerSpend: Money;
  readonly maxPerPlan: Money;
  readonly validFrom: string;
  /** Exclusive; the earlier of validUntil and the revocation date. */
  readonly endsOn?: string;
}

export interface MandateRegisterState {
  readonly mandates: ReadonlyMap<string, Mandate>;
}

export class MandateAlreadyGranted extends DomainError {
  readonly code = 'MANDATE.ALREADY_GRANTED';
  readonly kind = 'conflict';
}
export class MandateNotFound extends DomainError {
  readonly code = 'MANDATE.NOT_FOUND';
  readonly kind = 'not_found';
}

export const mandateRegisterDecider: Decider<MandateCommand, MandateEvent, MandateRegisterState> = {
  initialState: { mandates: new Map() },
  decide(command, state) {
    switch (command.type) {
      case 'GrantMandate':
        if (state.mandates.has(command.data.mandateId)) throw new MandateAlreadyGranted(`mandate ${command.data.mandateId} exists`, 'mandateId');
        return [{ type: 'MandateGranted', data: command.data }];
      case 'RevokeMandate':
        if (!state.mandates.has(command.data.mandateId)) throw new MandateNotFound(`no mandate ${command.data.mandateId}`, 'mandateId');
        return [{ type: 'MandateRevoked', data: command.data }];
      default:
        return unreachable(command);
    }
  },
  evolve(state, event) {
    const mandates = new Map(state.mandates);
    switch (event.type) {
      case 'MandateGranted': {
        const d = event.data;
        mandates.set(d.mandateId, {
          mandateId: d.mandateId,
          role: d.role,
          onBehalfOf: d.onBehalfOf,
          decisionKinds: d.decisionKinds,
          fundingSources: d.fundingSources,
          maxPerSpend: Money.parse(d.maxPerSpend),
          maxPerPlan: Money.parse(d.maxPerPlan),
          validFrom: d.validFrom,
          ...(d.validUntil ? { endsOn: d.validUntil } : {}),
        });
        return { mandates };
      }
      case 'MandateRevoked': {
        const m = mandates.get(event.data.mandateId);
        if (m) mandates.set(m.mandateId, { ...m, endsOn: m.endsOn && m.endsOn < event.data.revokedOn ? m.endsOn : event.data.revokedOn });
        return { mandates };
      }
      default:
        return unreachable(event);
    }
  },
};

export interface MandateRequest {
  readonly kind: DecisionKind;
  readonly role: DecisionRole;
  readonly on: string;
  readonly fundingSources: readonly FundingSource[];
  readonly amount: Money;
  readonly per: 'plan' | 'spend';
}

function inForce(m: Mandate, on: string): boolean {
  return m.validFrom <= on && (m.endsOn === undefined || on < m.endsOn);
}

function covers(m: Mandate, request: Omit<MandateRequest, 'role'>): boolean {
  const max = request.per === 'plan' ? m.maxPerPlan : m.maxPerSpend;
  return (
    inForce(m, request.on) &&
    m.decisionKinds.includes(request.kind) &&
    request.fundingSources.every((s) => m.fundingSources.includes(s)) &&
    !request.amount.greaterThan(max)
  );
}

/** Whether this mandate, as the register stood, allows the request. */
export function mandateAllows(mandate: Mandate, request: MandateRequest): boolean {
  return mandate.role === request.role && covers(mandate, request);
}

/** The lowest role whose mandate in force would allow the request, for the escalation hint. */
export function lowestAuthorityFor(register: MandateRegisterState, request: Omit<MandateRequest, 'role'>): DecisionRole | undefined {
  return decisionRoles.find((role) => [...register.mandates.values()].some((m) => m.role === role && covers(m, request)));
}
