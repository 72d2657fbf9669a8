/** The plan as GET /v1/plans/{id} returns it (the fields the pages use). Narrative sits under `personal`. */
export type Personal = Record<string, unknown>;

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

export interface Rule {
  readonly sourceKind: string;
  readonly citation: string;
  readonly law: string;
  readonly quotedText: string;
  readonly purpose: string;
}

export interface Legitimiteit {
  readonly rules: readonly Rule[];
  readonly exceptionGrounds: readonly { citation: string; description: string; applies: boolean; explanation: string }[];
  readonly otherRules: readonly { citation: string; purpose: string; supportsException: boolean }[];
  readonly decidingAuthority: { body: string; role: string };
}

export interface Doorbraak {
  readonly doorbraakId: string;
  readonly title: string;
  readonly interventionType: string;
  readonly targetGroup: string;
  readonly legitimiteit?: Recorded<Legitimiteit> | null;
  readonly betrokkenheid?: Recorded<{ personal: Personal }> | null;
  readonly weging?: Recorded<{ personal: Personal }> | null;
  readonly opinions: readonly { professionalId: string; role: string; organisation: string; position: string; personal: Personal }[];
}

export interface CostLine {
  readonly costLineId: string;
  readonly description: string;
  readonly unit: string;
  readonly unitPrice: string;
  readonly quantities: { huidig: string; dreigend: string; doorbraak: string };
  readonly fundingSource: string;
  readonly priceSource: string;
  readonly priceListVersion?: string;
  readonly doorbraakId?: string;
  readonly withdrawn: boolean;
}

export interface Decision {
  readonly decisionId: string;
  readonly decidedOn: string;
  readonly outcome: string;
  readonly conditions: readonly string[];
  readonly decisionMaker: { actorId: string; role: string };
  readonly onBehalfOf: string;
  readonly mandateId: string;
  readonly legalBasis: readonly string[];
  readonly motivation: string;
  readonly approvedAmount: string;
  readonly doorbraakIds: readonly string[];
}

export interface PlanView {
  readonly planId: string;
  readonly householdId: string;
  readonly title: string;
  readonly planVersion: number;
  readonly status: string;
  readonly draftedOn: string;
  readonly submittedOn: string | null;
  readonly decidedOn: string | null;
  readonly leadTimeDays: number | null;
  readonly steps: {
    readonly situatieschets?: Recorded<{ involved: readonly { organisation: string; role: string }[]; personal: Personal }>;
    readonly toekomstperspectief?: Recorded<{ horizonMonths: number; personal: Personal }>;
    readonly overzicht?: Recorded<{ personal: Personal }>;
    readonly vangnet?: Recorded<{ personal: Personal }>;
  };
  readonly doorbraken: readonly Doorbraak[];
  readonly rendement: {
    readonly periodMonths: number | null;
    readonly endorsements: readonly { professionalId: string; role: string; organisation: string }[];
    readonly costLines: readonly CostLine[];
    readonly exact: Amounts;
    readonly printed: Amounts;
    readonly byFundingSource: Readonly<Record<string, Amounts>>;
  };
  readonly actions: readonly { actionId: string; description: string; owner: { role: string; professionalId?: string }; dueOn: string; phase: string; completedOn: string | null }[];
  readonly evaluations: readonly { evaluationId: string; dueOn: string; indicators: readonly { name: string; stakeholder: string }[]; result: { outcome: string; evaluatedOn: string } | null }[];
  readonly escalations: readonly { escalatedOn: string; from: string; to: string; reason: string }[];
  readonly decision: Decision | null;
  readonly submission?: { submittedBy: string; requestedAmount: string };
  readonly version: string;
}

export const latestRecord = (step: Recorded<unknown> | null | undefined) => step?.history.at(-1)?.recordId;
