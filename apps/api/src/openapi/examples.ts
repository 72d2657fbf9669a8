import { type PlanDocument, demoDataset } from '@doorbraak/application';

/** Request examples for the OpenAPI document, taken from the demo dataset (Davey's plan) where it has them. */
const demo = demoDataset();
const davey = demo.households[1]!;
const plan: PlanDocument = davey.plans[0]!;
const doorbraak = plan.doorbraken[0]!;
const costLine = plan.rendement.costLines[0]!;
const { costLineId: _c, ...costLineBody } = costLine;
const { actionId: _a, completedOn: _done, ...actionBody } = plan.actieplan!.actions[0]!;
const { evaluationId: _e, ...evaluationBody } = plan.evaluations!.moments[0]!;
const { decisionId: _d, ...decisionBody } = plan.decisionFlow!.decision!;
const decision = { ...decisionBody, doorbraakIds: plan.doorbraken.map((d) => d.doorbraakId) };
const { budgetId: _b, ...budget } = demo.budgets[0]!;
const { mandateId: _m, ...mandate } = demo.mandates[1]!;
const { spendId: _s, budgetId: _sb, paidOn: _p, invoiceReference: _i, ...spend } = plan.spends[0]!;
const { householdId: _h, plans: _plans, ...household } = davey;
const { doorbraakId: _dbId, legitimiteit, betrokkenheid, weging, ...doorbraakBody } = doorbraak;

export const examples = {
  household,
  regieAssignment: { professionalId: 'prof-regisseur-2', role: 'regisseur', assignedOn: '2026-04-01', reason: 'handover to the wijkteam' },
  householdClosure: { closedOn: '2026-12-01', reason: 'goal reached: stable income and housing' },
  erasure: { erasedOn: '2046-12-01', basis: 'retention-period-ended', selectielijstCategory: '1.1.56' },
  draftPlan: { householdId: davey.householdId, title: plan.title, draftedOn: plan.draftedOn },
  steps: {
    situatieschets: plan.situatieschets,
    toekomstperspectief: { horizonMonths: plan.toekomstperspectief!.horizonMonths, personal: { goals: plan.toekomstperspectief!.goals.map((g) => ({ term: g.term, text: g.personal.text })) } },
    overzicht: { personal: { self: ['keeps the flat clean and pays rent on time'], support: ['coaching by the jongerencoach'], solve: ['bridge four months of income'] } },
    doorbraken: doorbraakBody,
    'doorbraken/{doorbraakId}/legitimiteit': legitimiteit,
    'doorbraken/{doorbraakId}/betrokkenheid': { personal: betrokkenheid!.personal },
    'doorbraken/{doorbraakId}/opinions': betrokkenheid!.opinions[0] ?? { professionalId: 'prof-2', role: 'participatiecoach', organisation: 'gemeente', position: 'supports', personal: { motivation: 'job search was done in detention' } },
    'doorbraken/{doorbraakId}/weging': weging ?? { personal: { text: 'the exception is lawful, involves him and pays back' } },
    'rendement-period': { periodMonths: plan.rendement.periodMonths },
    'cost-lines': costLineBody,
    'cost-lines/{costLineId}/corrections': { ...costLineBody, unitPrice: '1089.12', reason: 'norm amount of 2026' },
    'cost-lines/{costLineId}/withdrawal': { reason: 'counted twice' },
    endorsements: plan.rendement.endorsements[0],
    actions: actionBody,
    'actions/{actionId}/completion': { completedOn: '2026-02-10' },
    vangnet: plan.actieplan!.vangnet ?? { personal: { text: 'if the study does not start, the participatiecoach restarts the job search' } },
    evaluations: evaluationBody,
    'evaluations/{evaluationId}/results': { evaluatedOn: '2026-06-01', outcome: 'on_track', indicators: [{ name: 'rent paid on time', met: true }] },
    submission: { submittedOn: plan.decisionFlow!.submittedOn, submittedBy: plan.decisionFlow!.submittedBy, requestedAmount: decision.approvedAmount },
    escalations: { escalatedOn: '2026-02-03', from: 'consulent werk en inkomen', to: 'directeur', reason: 'no exception ground within the consulent\u2019s mandate' },
    decisions: decision,
    execution: { startedOn: '2026-02-05' },
    closure: { closedOn: '2026-07-01', reason: 'goal_reached' },
    replacement: { replacedOn: '2026-07-01', byPlanId: '6f1c1e0e-3a52-4a6c-9d8e-1f2a3b4c5d6e', reason: 'new plan version after the evaluation' },
  } as Record<string, unknown>,
  mandate,
  mandateRevocation: { revokedOn: '2026-09-01', reason: 'new mandate regulation' },
  budget,
  budgetAdjustment: { newAuthorisedAmount: '300000.00', adjustedOn: '2026-06-01', reason: 'raad amended the begroting', authorisedBy: 'dm-directeur-sd' },
  spend: { ...spend, planId: plan.planId, decisionId: plan.decisionFlow!.decision!.decisionId },
  payment: { amount: spend.amount, paidOn: '2026-02-10', invoiceReference: 'INV-2026-0042' },
  reversal: { amount: '100.00', reversedOn: '2026-03-01', reason: 'invoice lower than committed' },
  importDocument: { ...demo, households: [davey] },
};
