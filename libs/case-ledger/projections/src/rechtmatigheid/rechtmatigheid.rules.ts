import { iv3Taakveld } from '@doorbraak/domain';
import type { JsonObject } from '@doorbraak/event-store';
import { Money } from '@doorbraak/kernel';

export type Criterion = 'begroting' | 'voorwaarden' | 'm&o' | 'calculatie' | 'volledigheid' | 'getrouwheid';

export interface Finding {
  readonly rule: string;
  readonly criterion: Criterion;
  /** `error`: the rule is broken; `flag`: a signal an accountant reviews. */
  readonly severity: 'error' | 'flag';
  readonly boekjaar: number;
  readonly subject: { readonly kind: string; readonly id: string };
  readonly message: string;
  readonly events: readonly JsonObject[];
}

export interface RuleSummary {
  readonly boekjaar: number;
  readonly rule: string;
  readonly criterion: Criterion;
  readonly checked: number;
  readonly errors: number;
  readonly flags: number;
}

export interface RuleOptions {
  /** Recording a business fact later than this many days after its date is flagged as back-dating (R-19). */
  readonly backdatingDays: number;
  /** Window for split commitments (R-08) and duplicate payments (R-14). */
  readonly splitWindowDays: number;
  readonly duplicateWindowDays: number;
}

export const defaultRuleOptions: RuleOptions = { backdatingDays: 30, splitWindowDays: 30, duplicateWindowDays: 14 };

type Row = Record<string, unknown> & { events: JsonObject[] };
interface Spend extends Row {
  spendId: string;
  budgetId: string;
  planId: string;
  decisionId: string;
  amount: string;
  payee: { organisation: string };
  committedOn: string;
  committer: string;
  recordedAt: string;
  payments: { amount: string; paidOn: string; actor: string; recordedAt: string; invoiceReference?: string; ref: JsonObject }[];
  reversals: { amount: string; ref: JsonObject }[];
}
interface Decision extends Row {
  decisionId: string;
  planId: string;
  decidedOn: string;
  outcome: string;
  approvedAmount: string;
  decisionMaker: { actorId: string; role: string };
  onBehalfOf: string;
  mandateId: string;
  mandateRegisterVersion?: number;
  legalBasis: string[];
  /** Whether the decision was motivated (the motivation itself is free text and stays out of the rows). */
  motivated: boolean;
  doorbraakIds: string[];
  boekjaar: number;
  recordedAt: string;
  mandate: (Row & { role: string; onBehalfOf: string; validFrom: string; validUntil?: string; revokedOn?: string; maxPerPlan: string; maxPerSpend: string; decisionKinds: string[] }) | null;
  plan: (Row & { submittedBy?: string }) | null;
}

const days = (from: string, to: string) => (Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / 86_400_000;
const net = (s: Spend) => Money.parse(s.amount).minus(Money.sum(s.reversals.map((r) => Money.parse(r.amount))));

/**
 * Evaluates the machine-checkable rechtmatigheid rules R-01, R-04, R-06, R-07, R-08, R-09, R-10, R-11, R-14,
 * R-16, R-18 and R-19 over the facts of the rechtmatigheid projection. Pure and deterministic: the same rows
 * give the same findings, each linked to the events behind it.
 */
export function evaluateRechtmatigheid(rows: readonly JsonObject[], options: RuleOptions = defaultRuleOptions): { findings: Finding[]; summary: RuleSummary[] } {
  const of = <T>(kind: string) => rows.filter((r) => r['kind'] === kind) as unknown as T[];
  const budgets = new Map(of<Row & { budgetId: string; boekjaar: number; iv3Taakveld: string; authorisedAmount: string }>('budget').map((b) => [b.budgetId, b]));
  const decisions = new Map(of<Decision>('decision').map((d) => [d.decisionId, d]));
  const plans = new Map(of<Row & { planId: string; closedOn?: string; costLines: number; doorbraken: Record<string, Record<string, boolean>>; correctionsAfterDecision: JsonObject[]; decided: boolean }>('plan').map((p) => [p.planId, p]));
  const spends = of<Spend>('spend');
  const findings: Finding[] = [];
  const counts = new Map<string, { boekjaar: number; rule: string; criterion: Criterion; checked: number; errors: number; flags: number }>();
  const check = (rule: string, criterion: Criterion, boekjaar: number, failed: Omit<Finding, 'rule' | 'criterion' | 'boekjaar'> | undefined) => {
    const key = `${boekjaar}|${rule}`;
    const c = counts.get(key) ?? { boekjaar, rule, criterion, checked: 0, errors: 0, flags: 0 };
    c.checked++;
    if (failed) {
      findings.push({ rule, criterion, boekjaar, ...failed });
      if (failed.severity === 'error') c.errors++;
      else c.flags++;
    }
    counts.set(key, c);
  };
  const spendSubject = (s: Spend) => ({ kind: 'spend', id: s.spendId });
  const decisionSubject = (d: Decision) => ({ kind: 'decision', id: d.decisionId });

  for (const b of budgets.values()) {
    check('R-01', 'begroting', b.boekjaar, iv3Taakveld(b.boekjaar, b.iv3Taakveld) ? undefined : { severity: 'error', subject: { kind: 'budget', id: b.budgetId }, message: `taakveld ${b.iv3Taakveld} is not a bookable Iv3 code in ${b.boekjaar}`, events: b.events });
    const used = Money.sum(spends.filter((s) => s.budgetId === b.budgetId).map(net));
    const authorised = Money.parse(b.authorisedAmount);
    check('R-04', 'begroting', b.boekjaar, used.greaterThan(authorised) ? { severity: 'error', subject: { kind: 'budget', id: b.budgetId }, message: `€${used} committed exceeds the authorised €${authorised}`, events: b.events } : undefined);
  }

  for (const d of decisions.values()) {
    const m = d.mandate;
    const mandateProblem = !m
      ? `mandate ${d.mandateId} is not in the register`
      : m.role !== d.decisionMaker.role
        ? `mandate ${d.mandateId} is for a ${m.role}, the decision maker is a ${d.decisionMaker.role}`
        : m.onBehalfOf !== d.onBehalfOf
          ? `the decision states namens ${d.onBehalfOf}, the mandate ${m.onBehalfOf}`
          : !(m.validFrom <= d.decidedOn && (!m.validUntil || d.decidedOn < m.validUntil) && (!m.revokedOn || d.decidedOn < m.revokedOn))
            ? `mandate ${d.mandateId} was not in force on ${d.decidedOn}`
            : d.outcome !== 'rejected' && Money.parse(d.approvedAmount).greaterThan(Money.parse(m.maxPerPlan))
              ? `€${d.approvedAmount} exceeds the mandate's €${m.maxPerPlan} per plan`
              : d.mandateRegisterVersion === undefined
                ? 'the decision does not record the mandate register version'
                : undefined;
    check('R-06', 'voorwaarden', d.boekjaar, mandateProblem ? { severity: 'error', subject: decisionSubject(d), message: mandateProblem, events: [...d.events, ...(m?.events ?? [])] } : undefined);
    const requester = d.plan?.submittedBy;
    check('R-07', 'voorwaarden', d.boekjaar, requester && requester === d.decisionMaker.actorId ? { severity: 'error', subject: decisionSubject(d), message: `${requester} both requested and approved the plan`, events: d.events } : undefined);
    const plan = plans.get(d.planId);
    const missing = [
      ...(d.legalBasis.length ? [] : ['a legal basis']),
      ...(d.motivated ? [] : ['a motivation']),
      ...d.doorbraakIds.flatMap((id) => ['legitimiteit', 'betrokkenheid', 'weging'].filter((part) => !plan?.doorbraken[id]?.[part]).map((part) => `${part} of doorbraak ${id}`)),
      ...((plan?.costLines ?? 0) > 0 ? [] : ['a cost comparison']),
    ];
    check('R-09', 'voorwaarden', d.boekjaar, missing.length ? { severity: 'error', subject: decisionSubject(d), message: `the decision lacks ${missing.join(', ')}`, events: d.events } : undefined);
    const own = spends.filter((s) => s.decisionId === d.decisionId);
    const committed = Money.sum(own.map(net));
    const paid = Money.sum(own.flatMap((s) => s.payments.map((p) => Money.parse(p.amount))));
    const approved = Money.parse(d.approvedAmount);
    const over = committed.greaterThan(approved) ? `€${committed} committed` : paid.greaterThan(approved) ? `€${paid} paid` : undefined;
    check('R-11', 'calculatie', d.boekjaar, over ? { severity: 'error', subject: decisionSubject(d), message: `${over} under a decision of €${approved}`, events: [...d.events, ...own.flatMap((s) => s.events)] } : undefined);
    const needsCommitment = d.outcome !== 'rejected' && approved.greaterThan(Money.zero) && own.length === 0;
    check('R-16', 'volledigheid', d.boekjaar, needsCommitment ? { severity: 'flag', subject: decisionSubject(d), message: `approved €${approved} has no commitment yet`, events: d.events } : undefined);
    const late = days(d.decidedOn, d.recordedAt) > options.backdatingDays || days(d.decidedOn, d.recordedAt) < 0;
    check('R-19', 'getrouwheid', d.boekjaar, late ? { severity: 'flag', subject: decisionSubject(d), message: `decided on ${d.decidedOn} but recorded ${d.recordedAt.slice(0, 10)}`, events: d.events } : undefined);
  }

  for (const p of plans.values()) {
    const decision = p['decisionId'] ? decisions.get(p['decisionId'] as string) : undefined;
    if (!decision) continue;
    const corrections = p.correctionsAfterDecision as (JsonObject & { reasoned: boolean })[];
    check('R-18', 'getrouwheid', decision.boekjaar, corrections.length ? { severity: corrections.some((c) => !c.reasoned) ? 'error' : 'flag', subject: { kind: 'plan', id: p.planId }, message: `${corrections.length} correction(s) after the decision of ${decision.decidedOn}`, events: corrections } : undefined);
  }

  for (const s of spends) {
    const budget = budgets.get(s.budgetId);
    const boekjaar = budget?.boekjaar ?? Number(s.committedOn.slice(0, 4));
    const decision = decisions.get(s.decisionId);
    const plan = plans.get(s.planId);
    check('R-16', 'volledigheid', boekjaar, !decision || !plan ? { severity: 'error', subject: spendSubject(s), message: `spend ${s.spendId} does not trace to ${!decision ? `decision ${s.decisionId}` : `plan ${s.planId}`}`, events: s.events } : undefined);
    if (decision?.mandate) {
      const max = Money.parse(decision.mandate.maxPerSpend);
      check('R-06', 'voorwaarden', boekjaar, Money.parse(s.amount).greaterThan(max) ? { severity: 'error', subject: spendSubject(s), message: `€${s.amount} exceeds the decision maker's €${max} per spend`, events: [...s.events, ...decision.events] } : undefined);
      const window = spends.filter((o) => (o.planId === s.planId || o.payee.organisation === s.payee.organisation) && Math.abs(days(o.committedOn, s.committedOn)) <= options.splitWindowDays);
      const together = Money.sum(window.map((o) => Money.parse(o.amount)));
      const split = window.length >= 2 && window.every((o) => !Money.parse(o.amount).greaterThan(max)) && together.greaterThan(max);
      check('R-08', 'm&o', boekjaar, split ? { severity: 'flag', subject: spendSubject(s), message: `${window.length} commitments within ${options.splitWindowDays} days total €${together}, above the €${max} per spend (MandaatomzeilingVermoed)`, events: window.flatMap((o) => o.events) } : undefined);
    }
    for (const p of s.payments) {
      const problems = [
        ...(decision && p.paidOn < decision.decidedOn ? [`paid on ${p.paidOn} before the decision of ${decision.decidedOn}`] : []),
        ...(p.paidOn < s.committedOn ? [`paid on ${p.paidOn} before the commitment of ${s.committedOn}`] : []),
        ...(plan?.closedOn && p.paidOn > (plan.closedOn as string) ? [`paid on ${p.paidOn} after the plan closed on ${plan.closedOn}`] : []),
      ];
      check('R-10', 'voorwaarden', boekjaar, problems.length ? { severity: 'error', subject: spendSubject(s), message: problems.join('; '), events: [p.ref, ...s.events] } : undefined);
      check('R-07', 'm&o', boekjaar, decision && p.actor === decision.decisionMaker.actorId ? { severity: 'error', subject: spendSubject(s), message: `${p.actor} approved the decision and released the payment`, events: [p.ref, ...decision.events] } : undefined);
      const duplicate = spends.some((o) => o.spendId !== s.spendId && o.payee.organisation === s.payee.organisation && o.payments.some((q) => (q.invoiceReference && q.invoiceReference === p.invoiceReference) || (q.amount === p.amount && Math.abs(days(q.paidOn, p.paidOn)) <= options.duplicateWindowDays)));
      check('R-14', 'm&o', boekjaar, duplicate ? { severity: 'flag', subject: spendSubject(s), message: `another payment to ${s.payee.organisation} has the same amount or invoice within ${options.duplicateWindowDays} days`, events: [p.ref] } : undefined);
      const lateRecorded = days(p.paidOn, p.recordedAt) > options.backdatingDays || days(p.paidOn, p.recordedAt) < 0;
      check('R-19', 'getrouwheid', boekjaar, lateRecorded ? { severity: 'flag', subject: spendSubject(s), message: `paid on ${p.paidOn} but recorded ${p.recordedAt.slice(0, 10)}`, events: [p.ref] } : undefined);
    }
    const order = decision && s.committedOn < decision.decidedOn;
    check('R-19', 'getrouwheid', boekjaar, order ? { severity: 'error', subject: spendSubject(s), message: `committed on ${s.committedOn} before the decision of ${decision!.decidedOn}`, events: [...s.events, ...decision!.events] } : undefined);
  }

  const summary = [...counts.values()].sort((a, b) => a.boekjaar - b.boekjaar || a.rule.localeCompare(b.rule));
  return { findings, summary };
}
