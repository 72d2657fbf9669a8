import { Exact, Money } from '@doorbraak/kernel';
import type { FundingSource } from '../reference/code-lists';

export const scenarios = ['huidig', 'dreigend', 'doorbraak'] as const;
/** huidig: the current situation; dreigend: what threatens if nothing is done; doorbraak: the plan. */
export type Scenario = (typeof scenarios)[number];

/**
 * One line of a plan's micro cost-benefit analysis. Quantities are per scenario over the analysis period. Its
 * description and price source are free text of the household's plan, not needed to compute.
 */
export interface CostLine {
  readonly costLineId: string;
  readonly unit?: string;
  readonly unitPrice: Money;
  readonly quantities: Readonly<Record<Scenario, Exact>>;
  readonly fundingSource: FundingSource;
  readonly doorbraakId?: string;
}

export interface ScenarioTotals {
  readonly huidig: Money;
  readonly dreigend: Money;
  readonly doorbraak: Money;
  /** doorbraak − huidig: positive when the plan costs more now ("kosten t.o.v. huidige situatie"). */
  readonly directCosts: Money;
  /** dreigend − doorbraak: positive when the plan avoids costs ("rendement t.o.v. dreigend scenario"). */
  readonly realBenefit: Money;
}

export interface Rendement extends ScenarioTotals {
  readonly byFundingSource: Readonly<Partial<Record<FundingSource, ScenarioTotals>>>;
}

export function lineAmount(line: CostLine, scenario: Scenario): Money {
  return line.unitPrice.times(line.quantities[scenario]);
}

function totals(lines: readonly CostLine[], amount: (line: CostLine, scenario: Scenario) => Money): ScenarioTotals {
  const [huidig, dreigend, doorbraak] = scenarios.map((s) => Money.sum(lines.map((l) => amount(l, s)))) as [Money, Money, Money];
  return { huidig, dreigend, doorbraak, directCosts: doorbraak.minus(huidig), realBenefit: dreigend.minus(doorbraak) };
}

/** Exact scenario totals, direct costs and real benefit, overall and per funding source. */
export function computeRendement(lines: readonly CostLine[]): Rendement {
  const bySource = new Map<FundingSource, CostLine[]>();
  for (const line of lines) bySource.set(line.fundingSource, [...(bySource.get(line.fundingSource) ?? []), line]);
  return {
    ...totals(lines, lineAmount),
    byFundingSource: Object.fromEntries([...bySource].map(([source, group]) => [source, totals(group, lineAmount)])),
  };
}

/**
 * The totals as the method book prints them: each line rounded to whole euros (half up), then summed. Direct
 * costs and real benefit follow from the rounded totals.
 */
export function printedTotals(lines: readonly CostLine[]): ScenarioTotals {
  return totals(lines, (line, scenario) => lineAmount(line, scenario).roundedEuros());
}
