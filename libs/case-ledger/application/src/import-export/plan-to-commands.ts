import type { MandateRegisterState, PlanCommand } from '@doorbraak/domain';
import { createHash } from 'node:crypto';
import type { PlanDocument } from './household-document.schema';

/** A command with the place in the document it came from, so a refusal can name the item. */
export interface LocatedCommand {
  readonly command: PlanCommand;
  readonly path: string;
}

/** A stable id for a record the document does not name (the same on every import of the same plan). */
export function derivedId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The commands that record a whole plan, in the order the method writes it, then its decision flow. */
export function planToCommands(plan: PlanDocument, householdId: string, register: { state: MandateRegisterState; version: number }): LocatedCommand[] {
  const planId = plan.planId;
  const id = (...parts: string[]) => derivedId(planId, ...parts);
  const out: LocatedCommand[] = [];
  const add = (path: string, command: PlanCommand) => out.push({ path, command });

  add('', {
    type: 'DraftPlan',
    data: { planId, householdId, title: plan.title, draftedOn: plan.draftedOn, planVersion: plan.planVersion, ...(plan.replacesPlanId ? { replacesPlanId: plan.replacesPlanId } : {}) },
  });
  add('situatieschets', { type: 'RecordSituatieschets', data: { planId, recordId: id('situatieschets'), ...plan.situatieschets } });
  if (plan.toekomstperspectief) {
    const t = plan.toekomstperspectief;
    add('toekomstperspectief', {
      type: 'RecordToekomstperspectief',
      data: { planId, recordId: id('toekomstperspectief'), horizonMonths: t.horizonMonths, personal: { goals: t.goals.map((g) => ({ term: g.term, ...(g.member ? { member: g.member } : {}), text: g.personal.text })) } },
    });
  }
  if (plan.overzicht) {
    const texts = (items: { personal: { text: string } }[]) => items.map((i) => i.personal.text);
    add('overzicht', {
      type: 'RecordOverzicht',
      data: { planId, recordId: id('overzicht'), personal: { self: texts(plan.overzicht.self), support: texts(plan.overzicht.support), solve: texts(plan.overzicht.solve) } },
    });
  }
  plan.doorbraken.forEach((d, i) => {
    const at = `doorbraken/${i}`;
    const doorbraakId = d.doorbraakId;
    add(at, { type: 'DefineDoorbraak', data: { planId, doorbraakId, title: d.title, interventionType: d.interventionType, targetGroup: d.targetGroup } });
    add(`${at}/legitimiteit`, { type: 'RecordLegitimiteit', data: { planId, doorbraakId, recordId: id(doorbraakId, 'legitimiteit'), ...d.legitimiteit } });
    if (d.betrokkenheid) {
      add(`${at}/betrokkenheid`, { type: 'RecordBetrokkenheid', data: { planId, doorbraakId, recordId: id(doorbraakId, 'betrokkenheid'), personal: d.betrokkenheid.personal } });
      d.betrokkenheid.opinions.forEach((o, k) =>
        add(`${at}/betrokkenheid/opinions/${k}`, {
          type: 'RecordProfessionalOpinion',
          data: { ...o, planId, doorbraakId, opinionId: o.opinionId ?? id(doorbraakId, 'opinion', String(k)) },
        }),
      );
    }
    if (d.weging) add(`${at}/weging`, { type: 'RecordWeging', data: { planId, doorbraakId, recordId: id(doorbraakId, 'weging'), personal: d.weging.personal } });
  });
  add('rendement/periodMonths', { type: 'SetRendementPeriod', data: { planId, periodMonths: plan.rendement.periodMonths } });
  plan.rendement.costLines.forEach((line, k) => add(`rendement/costLines/${k}`, { type: 'AddCostLine', data: { planId, ...line } }));
  plan.rendement.endorsements.forEach((e, k) => add(`rendement/endorsements/${k}`, { type: 'EndorseDreigendScenario', data: { planId, ...e } }));
  plan.actieplan?.actions.forEach(({ completedOn: _done, ...action }, k) => add(`actieplan/actions/${k}`, { type: 'PlanAction', data: { planId, ...action } }));
  if (plan.actieplan?.vangnet) add('actieplan/vangnet', { type: 'RecordVangnet', data: { planId, recordId: id('vangnet'), personal: plan.actieplan.vangnet.personal } });
  plan.evaluations?.moments.forEach((m, k) => add(`evaluations/moments/${k}`, { type: 'ScheduleEvaluation', data: { planId, ...m } }));

  const flow = plan.decisionFlow;
  if (flow) {
    const requestedAmount = flow.requestedAmount ?? flow.decision?.approvedAmount ?? '0';
    add('decisionFlow', { type: 'SubmitForDecision', data: { planId, submittedOn: flow.submittedOn, submittedBy: flow.submittedBy, requestedAmount } });
    flow.escalations.forEach((e, k) => add(`decisionFlow/escalations/${k}`, { type: 'Escalate', data: { planId, ...e } }));
    if (flow.decision) {
      const { doorbraakIds, ...decision } = flow.decision;
      add('decisionFlow/decision', {
        type: 'Decide',
        register: register.state,
        registerVersion: register.version,
        data: { planId, ...decision, doorbraakIds: doorbraakIds ?? plan.doorbraken.map((d) => d.doorbraakId) },
      });
    }
    if (flow.executionStartedOn) add('decisionFlow/executionStartedOn', { type: 'StartExecution', data: { planId, startedOn: flow.executionStartedOn } });
  }
  plan.actieplan?.actions.forEach((a, k) => {
    if (a.completedOn) add(`actieplan/actions/${k}/completedOn`, { type: 'CompleteAction', data: { planId, actionId: a.actionId, completedOn: a.completedOn } });
  });
  plan.evaluations?.recorded.forEach((r, k) => add(`evaluations/recorded/${k}`, { type: 'RecordEvaluation', data: { planId, ...r } }));
  if (flow?.closed) add('decisionFlow/closed', { type: 'ClosePlan', data: { planId, ...flow.closed } });
  return out;
}
