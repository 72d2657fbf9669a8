import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type BudgetCommand,
  type BudgetState,
  type PlanState,
  budgetDecider,
  householdDecider,
  mandateRegisterDecider,
  planDecider,
  streams,
} from '@doorbraak/domain';
import { DomainError } from '@doorbraak/kernel';
import type { CommandContext } from '../shared/command-context';
import { handleCommand } from '../shared/handle-command';
import { STREAM_STATES, type StreamStates } from '../shared/stream-states';
import type { HouseholdDocument, PlanDocument } from './household-document.schema';
import { type LocatedCommand, planToCommands } from './plan-to-commands';

export interface ImportError {
  readonly pointer: string;
  readonly detail: string;
  readonly code?: string;
}

export interface PlanImportResult {
  readonly planId: string;
  readonly status: 'imported' | 'unchanged' | 'failed';
  readonly errors: readonly ImportError[];
}

export interface ImportResult {
  readonly tenant: string;
  /** The log position of the last event the import wrote (for `X-Consistent-With`); empty when it wrote none. */
  readonly logPosition: string;
  readonly mandates: { readonly added: number };
  readonly budgets: { readonly added: number };
  readonly households: readonly { readonly householdId: string; readonly status: 'imported' | 'unchanged' | 'failed'; readonly errors: readonly ImportError[]; readonly plans: readonly PlanImportResult[] }[];
}

type Track = <T extends { logPosition: string; created: boolean }>(result: T) => T;

/** The document's municipality is not the caller's. */
export class ImportTenantMismatch extends DomainError {
  readonly code = 'IMPORT.TENANT_MISMATCH';
  readonly kind = 'forbidden';
}

/**
 * Imports a document through the same deciders as the API, so every rule applies. Each plan is all or nothing:
 * its events are decided in memory first (with its spends checked against the budgets) and appended in one go.
 * Importing the same document again changes nothing.
 */
export class ImportHouseholds extends Command<ImportResult> {
  constructor(
    readonly document: HouseholdDocument,
    readonly context: CommandContext,
  ) {
    super();
  }
}

function errorAt(base: string, error: unknown): ImportError {
  if (error instanceof DomainError) return { pointer: `#/${base}${error.path ? `/${error.path}` : ''}`.replace(/\/+$/, ''), detail: error.message, code: error.code };
  throw error;
}

@CommandHandler(ImportHouseholds)
export class ImportHouseholdsHandler implements ICommandHandler<ImportHouseholds, ImportResult> {
  constructor(@Inject(STREAM_STATES) private readonly states: StreamStates) {}

  async execute({ document, context }: ImportHouseholds): Promise<ImportResult> {
    // The newest position written, across the many appends of one import.
    let last = '';
    const track: Track = (result) => {
      if (result.created && result.logPosition > last) last = result.logPosition;
      return result;
    };
    if (document.tenant !== context.tenant) throw new ImportTenantMismatch(`the document is for ${document.tenant}, not ${context.tenant}`, 'tenant');
    const mandates = await this.importMandates(document, context, track);
    let budgetsAdded = 0;
    for (const budget of document.budgets) {
      const result = track(await handleCommand(this.states, streams.budget(budget.budgetId), budgetDecider, (s) => (s.status === 'none' ? [{ type: 'OpenBudget' as const, data: budget }] : []), context));
      if (result.created) budgetsAdded++;
    }
    const register = await this.states.loadOwn(streams.mandates(context.tenant), mandateRegisterDecider, context.tenant);
    const registerState = { state: register.state, version: Number(register.version) };
    // Households, then plans, then budgets: each step's appends are made at once, so they are committed in groups.
    const opened = await Promise.all(
      document.households.map(async (household, h): Promise<{ created: boolean } | { error: ImportError }> => {
        const { householdId, plans: _plans, ...data } = household;
        try {
          return { created: track(await handleCommand(this.states, streams.household(householdId), householdDecider, (s) => (s.status === 'none' ? [{ type: 'OpenHousehold' as const, data: { householdId, ...data } }] : []), context)).created };
        } catch (error) {
          return { error: errorAt(`households/${h}`, error) };
        }
      }),
    );
    const plans = await this.importPlans(document, opened.map((o) => !('error' in o)), registerState, context, track);
    const households = document.households.map((household, h) => {
      const outcome = opened[h]!;
      if ('error' in outcome) return { householdId: household.householdId, status: 'failed' as const, errors: [outcome.error], plans: [] };
      return { householdId: household.householdId, status: outcome.created ? ('imported' as const) : ('unchanged' as const), errors: [], plans: plans.get(h)! };
    });
    return { tenant: document.tenant, logPosition: last, mandates: { added: mandates }, budgets: { added: budgetsAdded }, households };
  }

  private async importMandates(document: HouseholdDocument, context: CommandContext, track: Track): Promise<number> {
    let added = 0;
    const result = await handleCommand(
      this.states,
      streams.mandates(context.tenant),
      mandateRegisterDecider,
      (state) => {
        const missing = document.mandates.filter((m) => !state.mandates.has(m.mandateId));
        added = missing.length;
        return missing.map((data) => ({ type: 'GrantMandate' as const, data }));
      },
      context,
    );
    track(result);
    return added;
  }

  /**
   * Reads every plan and budget the document names at once, decides every plan in memory in document order
   * (budgets evolving as plans spend from them), then appends the accepted plans, and after them every budget's
   * spends in one append per budget.
   */
  private async importPlans(
    document: HouseholdDocument,
    householdOpened: readonly boolean[],
    register: Parameters<typeof planToCommands>[2],
    context: CommandContext,
    track: Track,
  ): Promise<Map<number, PlanImportResult[]>> {
    const located = document.households.flatMap((household, h) => (householdOpened[h] ? household.plans.map((plan, p) => ({ h, plan, householdId: household.householdId, base: `households/${h}/plans/${p}` })) : []));
    const stored = await Promise.all(located.map(({ plan }) => this.states.loadOwn(streams.plan(plan.planId), planDecider, context.tenant)));
    const budgetIds = [...new Set(located.flatMap(({ plan }) => plan.spends.map((spend) => spend.budgetId)))];
    const loaded = await Promise.all(budgetIds.map((budgetId) => this.states.loadOwn(streams.budget(budgetId), budgetDecider, context.tenant)));
    const budgets = new Map(budgetIds.map((budgetId, i) => [budgetId, loaded[i]!.state]));
    const byBudget = new Map<string, BudgetCommand[]>();
    const accepted: { planId: string; commands: LocatedCommand[] }[] = [];
    const results = new Map<number, PlanImportResult[]>(document.households.map((_, h) => [h, []]));
    const seen = new Set<string>();
    for (const [i, { h, plan, householdId, base }] of located.entries()) {
      const result = (status: PlanImportResult['status'], errors: ImportError[] = []) => results.get(h)!.push({ planId: plan.planId, status, errors });
      if (stored[i]!.version > 0n || seen.has(plan.planId)) {
        result('unchanged');
        continue;
      }
      seen.add(plan.planId);
      const commands = planToCommands(plan, householdId, register);
      // Decide everything in memory first, so a refusal writes nothing and names its item.
      let state: PlanState = planDecider.initialState;
      let refusal: ImportError | undefined;
      for (const { command, path } of commands) {
        try {
          state = planDecider.decide(command, state).reduce(planDecider.evolve, state);
        } catch (error) {
          refusal = errorAt(`${base}${path ? `/${path}` : ''}`, error);
          break;
        }
      }
      if (refusal) {
        result('failed', [refusal]);
        continue;
      }
      const spends = this.spendCommands(plan, state, householdId, base, budgets);
      if ('errors' in spends) {
        result('failed', spends.errors);
        continue;
      }
      spends.budgets.forEach((budget, budgetId) => budgets.set(budgetId, budget));
      spends.byBudget.forEach((more, budgetId) => byBudget.set(budgetId, [...(byBudget.get(budgetId) ?? []), ...more]));
      accepted.push({ planId: plan.planId, commands });
      result('imported');
    }
    (await Promise.all(accepted.map(({ planId, commands }) => handleCommand(this.states, streams.plan(planId), planDecider, () => commands.map((c) => c.command), context)))).forEach(track);
    (await Promise.all([...byBudget].map(([budgetId, commands]) => handleCommand(this.states, streams.budget(budgetId), budgetDecider, () => commands, context)))).forEach(track);
    return results;
  }

  /** The plan's spends decided against the budgets as the import has them so far; the budgets are left as they were. */
  private spendCommands(
    plan: PlanDocument,
    planState: PlanState,
    householdId: string,
    base: string,
    known: ReadonlyMap<string, BudgetState>,
  ): { byBudget: Map<string, BudgetCommand[]>; budgets: Map<string, BudgetState> } | { errors: ImportError[] } {
    const byBudget = new Map<string, BudgetCommand[]>();
    const budgets = new Map<string, BudgetState>();
    const decision = planState.decision && { planId: plan.planId, ...planState.decision };
    for (const [k, spend] of plan.spends.entries()) {
      const { paidOn, invoiceReference, ...committed } = spend;
      const commands: BudgetCommand[] = [
        { type: 'CommitSpend', data: { ...committed, planId: plan.planId, householdId, decisionId: decision?.decisionId ?? '' }, decision },
        ...(paidOn ? [{ type: 'PaySpend' as const, data: { budgetId: spend.budgetId, spendId: spend.spendId, amount: spend.amount, paidOn, ...(invoiceReference ? { invoiceReference } : {}) } }] : []),
      ];
      let budget = budgets.get(spend.budgetId) ?? known.get(spend.budgetId)!;
      try {
        for (const command of commands) budget = budgetDecider.decide(command, budget).reduce(budgetDecider.evolve, budget);
      } catch (error) {
        return { errors: [errorAt(`${base}/spends/${k}`, error)] };
      }
      budgets.set(spend.budgetId, budget);
      byBudget.set(spend.budgetId, [...(byBudget.get(spend.budgetId) ?? []), ...commands]);
    }
    return { byBudget, budgets };
  }
}

