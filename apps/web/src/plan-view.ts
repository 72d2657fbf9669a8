/**
 * The plan as GET /v1/plans/{id} returns it (the fields the pages use). Narrative and every free text sit under
 * the `personal` key of the object they describe; plans and doorbraken also have a label made of codes.
 */
export type Personal = Record<string, unknown>;
interface WithFreeText {
  readonly personal?: Personal;
}

export interface Recorded<T> {
  readonly current: T;
  readonly history: readonly { readonly recordId: string; readonly at: string }[];
}

export interface Amounts {
  readonly huidig: string;
  readonly dreigend: string;
  readonly doorbraak: string;
  readonly directCosts: string;
  readonly realBenefit: string;
}

export interface Rule extends WithFreeText {
  readonly sourceKind: string;
  readonly citation: string;
  readonly law: string;
}

export interface Legitimiteit {
  readonly rules: readonly Rule[];
  readonly exceptionGrounds: readonly ({ citation: string; applies: boolean } & WithFreeText)[];
  readonly otherRules: readonly ({ citation: string; supportsException: boolean } & WithFreeText)[];
  readonly decidingAuthority: { body: string; role: string };
}

export interface Doorbraak extends WithFreeText {
  readonly doorbraakId: string;
  readonly label: string;
  readonly interventionType: string;
  readonly targetGroup: string;
  readonly legitimiteit?: Recorded<Legitimiteit> | null;
  readonly betrokkenheid?: Recorded<{ personal: Personal }> | null;
  readonly weging?: Recorded<{ personal: Personal }> | null;
  readonly opinions: readonly { professionalId: string; role: string; position: string; personal: Personal }[];
}

export interface CostLine extends WithFreeText {
  readonly costLineId: string;
  readonly unit: string;
  readonly unitPrice: string;
  readonly quantities: { huidig: string; dreigend: string; doorbraak: string };
  readonly fundingSource: string;
  readonly doorbraakId?: string;
  readonly withdrawn: boolean;
}

export interface Decision extends WithFreeText {
  readonly decisionId: string;
  readonly decidedOn: string;
  readonly outcome: string;
  readonly decisionMaker: { actorId: string; role: string };
  readonly onBehalfOf: string;
  readonly mandateId: string;
  readonly legalBasis: readonly string[];
  readonly approvedAmount: string;
  readonly doorbraakIds: readonly string[];
}

export interface PlanView extends WithFreeText {
  readonly planId: string;
  readonly householdId: string;
  readonly label: string;
  readonly planVersion: number;
  readonly status: string;
  readonly draftedOn: string;
  readonly submittedOn: string | null;
  readonly decidedOn: string | null;
  readonly leadTimeDays: number | null;
  readonly steps: {
    readonly situatieschets?: Recorded<{ involved: readonly ({ role: string } & WithFreeText)[]; personal: Personal }>;
    readonly toekomstperspectief?: Recorded<{ horizonMonths: number; personal: Personal }>;
    readonly overzicht?: Recorded<{ personal: Personal }>;
    readonly vangnet?: Recorded<{ personal: Personal }>;
  };
  readonly doorbraken: readonly Doorbraak[];
  readonly rendement: {
    readonly periodMonths: number | null;
    readonly endorsements: readonly ({ professionalId: string; role: string } & WithFreeText)[];
    readonly costLines: readonly CostLine[];
    readonly exact: Amounts;
    readonly printed: Amounts;
    readonly byFundingSource: Readonly<Record<string, Amounts>>;
  };
  readonly actions: readonly ({ actionId: string; owner: { role: string; professionalId?: string }; dueOn: string; phase: string; completedOn: string | null } & WithFreeText)[];
  readonly evaluations: readonly { evaluationId: string; dueOn: string; indicators: readonly WithFreeText[]; result: { outcome: string; evaluatedOn: string } | null }[];
  readonly escalations: readonly ({ escalatedOn: string; from: string; to: string } & WithFreeText)[];
  readonly decision: Decision | null;
  readonly submission?: { submittedBy: string; requestedAmount: string };
  readonly version: string;
}

/** Items as they were written, their free text back beside their facts: the values a correction form starts from. */
export function asWritten(items: readonly WithFreeText[] | undefined): Record<string, unknown>[] | undefined {
  return items?.map(({ personal, ...facts }) => ({ ...facts, ...(personal && !personal['erased'] && !personal['withheld'] ? personal : {}) }));
}

export const latestRecord = (step: Recorded<unknown> | null | undefined) => step?.history.at(-1)?.recordId;
