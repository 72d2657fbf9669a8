import { z } from 'zod';
import type { FreeTextShape, Sealed } from '../shared/free-text';
import { actorId, amount, correction, costUnit, decisionRole, fundingSource, id, interventionType, isoDate, quantity, role, ruleSourceKind, targetGroup, text } from '../shared/schemas';

const personalText = (max = 4_000) => text(max);

/** The three scenario quantities of a cost line. */
const quantities = z.object({ huidig: quantity, dreigend: quantity, doorbraak: quantity });

export const costLineFields = {
  description: text(300),
  /** Absent when the table prices the line as a whole (no unit at all); the amounts are checked all the same. */
  unit: costUnit.optional(),
  unitPrice: amount.refine((a) => !a.startsWith('-'), 'must not be negative'),
  quantities,
  fundingSource,
  priceSource: text(200),
  priceListVersion: text(40).optional(),
  doorbraakId: id.optional(),
};

export const legitimiteitFields = {
  /** Where the blocking rule stands, what it says, and what it is for (*bedoeling*). */
  rules: z
    .array(
      z.object({
        sourceKind: ruleSourceKind,
        citation: text(200),
        law: fundingSource,
        quotedText: text(4_000),
        purpose: text(2_000),
      }),
    )
    .min(1),
  exceptionGrounds: z.array(z.object({ citation: text(200), description: text(2_000), applies: z.boolean(), explanation: text(2_000) })),
  otherRules: z.array(z.object({ citation: text(200), purpose: text(2_000), supportsException: z.boolean() })),
  /** *Wie gaat erover*: the body that owns the rule and the role that can decide. */
  decidingAuthority: z.object({ body: text(200), role: text(100) }),
};

/**
 * What is written for each event of a doorbraak plan (the request bodies, and the layout of schema version 1).
 * Narrative about the household sits under `personal`; the free text elsewhere is moved there when the event
 * is stored (`planFreeText`), so that both are encrypted and later erased, and the rest is administrative fact.
 */
export const planEventSchemas = {
  PlanDrafted: z.object({ planId: id, householdId: id, title: text(200), draftedOn: isoDate, planVersion: z.number().int().min(1), replacesPlanId: id.optional() }),
  SituatieschetsRecorded: z.object({
    planId: id,
    recordId: id,
    involved: z.array(z.object({ organisation: text(200), role })),
    personal: z.object({ narrative: personalText(8_000) }),
    correction: correction.optional(),
  }),
  ToekomstperspectiefRecorded: z.object({
    planId: id,
    recordId: id,
    horizonMonths: z.number().int().min(1).max(60),
    personal: z.object({ goals: z.array(z.object({ term: z.enum(['short', 'long']), member: text(100).optional(), text: personalText() })).min(1) }),
    correction: correction.optional(),
  }),
  OverzichtRecorded: z.object({
    planId: id,
    recordId: id,
    personal: z.object({ self: z.array(personalText()), support: z.array(personalText()), solve: z.array(personalText()) }),
    correction: correction.optional(),
  }),
  DoorbraakDefined: z.object({ planId: id, doorbraakId: id, title: text(200), interventionType, targetGroup }),
  LegitimiteitRecorded: z.object({ planId: id, doorbraakId: id, recordId: id, ...legitimiteitFields, correction: correction.optional() }),
  BetrokkenheidRecorded: z.object({
    planId: id,
    doorbraakId: id,
    recordId: id,
    personal: z.object({ hypothesis: personalText(), agreements: z.array(personalText()) }),
    correction: correction.optional(),
  }),
  ProfessionalOpinionRecorded: z.object({
    planId: id,
    doorbraakId: id,
    opinionId: id,
    professionalId: actorId,
    role,
    organisation: text(200),
    position: z.enum(['supports', 'dissents', 'neutral']),
    personal: z.object({ motivation: personalText() }),
  }),
  WegingRecorded: z.object({ planId: id, doorbraakId: id, recordId: id, personal: z.object({ text: personalText(8_000) }), correction: correction.optional() }),
  RendementPeriodSet: z.object({ planId: id, periodMonths: z.number().int().min(1).max(60) }),
  CostLineAdded: z.object({ planId: id, costLineId: id, ...costLineFields }),
  CostLineCorrected: z.object({ planId: id, costLineId: id, ...costLineFields, reason: text(500) }),
  CostLineWithdrawn: z.object({ planId: id, costLineId: id, reason: text(500) }),
  DreigendScenarioEndorsed: z.object({ planId: id, professionalId: actorId, role, organisation: text(200) }),
  ActionPlanned: z.object({
    planId: id,
    actionId: id,
    description: text(1_000),
    owner: z.object({ role, professionalId: actorId.optional() }),
    dueOn: isoDate,
    phase: z.enum(['before', 'after']),
  }),
  ActionCompleted: z.object({ planId: id, actionId: id, completedOn: isoDate }),
  VangnetRecorded: z.object({ planId: id, recordId: id, personal: z.object({ text: personalText() }), correction: correction.optional() }),
  EvaluationScheduled: z.object({ planId: id, evaluationId: id, dueOn: isoDate, indicators: z.array(z.object({ name: text(200), stakeholder: text(200) })).min(1) }),
  EvaluationRecorded: z.object({
    planId: id,
    evaluationId: id,
    evaluatedOn: isoDate,
    outcome: z.enum(['on_track', 'partially_on_track', 'off_track', 'goal_reached']),
    indicators: z.array(z.object({ name: text(200), met: z.boolean(), value: text(200).optional() })),
    personal: z.object({ notes: personalText() }).optional(),
  }),
  PlanSubmittedForDecision: z.object({ planId: id, submittedOn: isoDate, submittedBy: actorId, requestedAmount: amount }),
  /** `to` names the authority; when it is a municipal decision role, decisions below that level are refused. */
  PlanEscalated: z.object({ planId: id, escalatedOn: isoDate, from: text(100), to: text(100), reason: text(2_000) }),
  PlanDecided: z.object({
    planId: id,
    decisionId: id,
    decidedOn: isoDate,
    outcome: z.enum(['approved', 'approved_with_conditions', 'rejected']),
    conditions: z.array(text(1_000)),
    decisionMaker: z.object({ actorId, role: decisionRole }),
    onBehalfOf: text(200),
    mandateId: id,
    /** Version of the mandate register stream the decision was checked against. */
    mandateRegisterVersion: z.number().int().min(1),
    legalBasis: z.array(text(200)).min(1),
    motivation: text(8_000),
    approvedAmount: amount,
    doorbraakIds: z.array(id).min(1),
  }),
  PlanExecutionStarted: z.object({ planId: id, startedOn: isoDate }),
  PlanClosed: z.object({ planId: id, closedOn: isoDate, reason: z.enum(['goal_reached', 'replanned', 'lost_contact', 'warm_handover', 'rejected', 'withdrawn', 'other']), note: text(1_000).optional() }),
  PlanReplaced: z.object({ planId: id, replacedOn: isoDate, byPlanId: id, reason: text(1_000) }),
} as const;

const correctionReason = { correction: { reason: true } } as const;
const costLineText = { description: true, priceSource: true, priceListVersion: true } as const;

/**
 * The free text of each plan event: titles, descriptions, reasons, motivations, conditions, quoted rules and
 * their purposes, organisations. Codes, amounts, dates, ids, rule citations and role names stay in the clear.
 */
export const planFreeText = {
  PlanDrafted: { title: true },
  SituatieschetsRecorded: { involved: [{ organisation: true }], ...correctionReason },
  ToekomstperspectiefRecorded: correctionReason,
  OverzichtRecorded: correctionReason,
  DoorbraakDefined: { title: true },
  LegitimiteitRecorded: {
    rules: [{ quotedText: true, purpose: true }],
    exceptionGrounds: [{ description: true, explanation: true }],
    otherRules: [{ purpose: true }],
    ...correctionReason,
  },
  BetrokkenheidRecorded: correctionReason,
  ProfessionalOpinionRecorded: { organisation: true },
  WegingRecorded: correctionReason,
  RendementPeriodSet: {},
  CostLineAdded: costLineText,
  CostLineCorrected: { ...costLineText, reason: true },
  CostLineWithdrawn: { reason: true },
  DreigendScenarioEndorsed: { organisation: true },
  ActionPlanned: { description: true },
  ActionCompleted: {},
  VangnetRecorded: correctionReason,
  EvaluationScheduled: { indicators: [{ name: true, stakeholder: true }] },
  EvaluationRecorded: { indicators: [{ name: true, value: true }] },
  PlanSubmittedForDecision: {},
  PlanEscalated: { reason: true },
  PlanDecided: { conditions: true, motivation: true },
  PlanExecutionStarted: {},
  PlanClosed: { note: true },
  PlanReplaced: { reason: true },
} as const satisfies Record<keyof typeof planEventSchemas, FreeTextShape>;

type Schemas = typeof planEventSchemas;
export type PlanEventType = keyof Schemas;
/** What is written for a plan event (a command's data). */
export type PlanContent<T extends PlanEventType> = z.infer<Schemas[T]>;
/** A plan event's data as stored and read (schema version 2). */
export type PlanEventData<T extends PlanEventType> = Sealed<PlanContent<T>, (typeof planFreeText)[T]>;
export type PlanEvent = { [K in PlanEventType]: { type: K; data: PlanEventData<K> } }[PlanEventType];

