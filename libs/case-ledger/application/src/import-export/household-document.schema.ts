import { budgetEventSchemas, costLineFields, legitimiteitFields, mandateEventSchemas, planEventSchemas, schemas as s } from '@doorbraak/domain';
import { z } from 'zod';

const personal = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ personal: z.strictObject(shape) });

const doorbraak = z.strictObject({
  doorbraakId: s.id,
  title: s.text(200),
  interventionType: s.interventionType,
  targetGroup: s.targetGroup,
  legitimiteit: z.strictObject(legitimiteitFields),
  betrokkenheid: z
    .object({
      personal: z.strictObject({ hypothesis: s.text(4_000), agreements: z.array(s.text(4_000)) }),
      opinions: z.array(planEventSchemas.ProfessionalOpinionRecorded.omit({ planId: true, doorbraakId: true, opinionId: true }).extend({ opinionId: s.id.optional() })),
    })
    .optional(),
  weging: personal({ text: s.text(8_000) }).optional(),
});

const decision = planEventSchemas.PlanDecided.omit({ planId: true, mandateRegisterVersion: true, doorbraakIds: true }).extend({
  /** Defaults to every doorbraak of the plan. */
  doorbraakIds: z.array(s.id).min(1).optional(),
});

const spend = budgetEventSchemas.SpendCommitted.omit({ planId: true, householdId: true, decisionId: true }).extend({
  paidOn: s.isoDate.optional(),
  invoiceReference: s.text(100).optional(),
});

const plan = z.strictObject({
  planId: s.id,
  title: s.text(200),
  draftedOn: s.isoDate,
  planVersion: z.number().int().min(1).default(1),
  replacesPlanId: s.id.optional(),
  situatieschets: z.strictObject({ involved: z.array(z.strictObject({ organisation: s.text(200), role: s.role })), personal: z.strictObject({ narrative: s.text(8_000) }) }),
  toekomstperspectief: planEventSchemas.ToekomstperspectiefRecorded.pick({ horizonMonths: true }).extend({
    goals: z.array(z.strictObject({ term: z.enum(['short', 'long']), member: s.text(100).optional(), personal: z.strictObject({ text: s.text(4_000) }) })).min(1),
  }).optional(),
  overzicht: z
    .object({
      self: z.array(personal({ text: s.text(4_000) })),
      support: z.array(personal({ text: s.text(4_000) })),
      solve: z.array(personal({ text: s.text(4_000) })),
    })
    .optional(),
  doorbraken: z.array(doorbraak).min(1),
  rendement: z.strictObject({
    periodMonths: z.number().int().min(1).max(60).default(12),
    endorsements: z.array(planEventSchemas.DreigendScenarioEndorsed.omit({ planId: true })),
    costLines: z.array(z.strictObject({ costLineId: s.id, ...costLineFields })).min(1),
    /** The totals as published (whole euros), kept for reference; the ledger computes its own. */
    published: z.record(s.text(40), s.text(40)).optional(),
  }),
  actieplan: z
    .object({
      actions: z.array(planEventSchemas.ActionPlanned.omit({ planId: true }).extend({ completedOn: s.isoDate.optional() })),
      vangnet: personal({ text: s.text(4_000) }).optional(),
    })
    .optional(),
  evaluations: z
    .object({
      moments: z.array(planEventSchemas.EvaluationScheduled.omit({ planId: true })),
      recorded: z.array(planEventSchemas.EvaluationRecorded.omit({ planId: true })),
    })
    .optional(),
  decisionFlow: z
    .object({
      submittedOn: s.isoDate,
      submittedBy: s.actorId,
      requestedAmount: s.amount.optional(),
      escalations: z.array(planEventSchemas.PlanEscalated.omit({ planId: true })).default([]),
      decision: decision.optional(),
      executionStartedOn: s.isoDate.optional(),
      closed: planEventSchemas.PlanClosed.omit({ planId: true }).optional(),
    })
    .optional(),
  spends: z.array(spend).default([]),
});

const household = z.strictObject({
  householdId: s.id,
  reference: z.string().regex(/^[A-Za-z0-9-]{1,40}$/),
  openedOn: s.isoDate,
  regisseur: z.strictObject({ professionalId: s.actorId, role: s.role }),
  personal: z.strictObject({ alias: s.text(100).optional(), summary: s.text(4_000).optional() }),
  plans: z.array(plan),
});

/**
 * The exchange format for whole plans: a municipality's mandates and budgets and its households with their
 * plans, all steps, cost tables, decisions and spends. `docs/import/household-plans.schema.json` is generated
 * from this schema.
 */
export const householdDocumentSchema = z
  .strictObject({
    formatVersion: z.literal(1),
    tenant: s.tenant,
    mandates: z.array(mandateEventSchemas.MandateGranted).default([]),
    budgets: z.array(budgetEventSchemas.BudgetOpened).default([]),
    households: z.array(household),
  })
  .meta({ title: 'Doorbraak Ledger household plans', description: 'Households with their doorbraak plans, mandates and budgets (format version 1).' });

export type HouseholdDocument = z.infer<typeof householdDocumentSchema>;
export type PlanDocument = z.infer<typeof plan>;
export type DoorbraakDocument = z.infer<typeof doorbraak>;
