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
    const households = [];
    for (const [h, household] of document.households.entries()) {
      const base = `households/${h}`;
      let created = false;
      try {
        const { householdId, plans: _plans, ...opened } = household;
        created = track(
          await handleCommand(this.states, streams.household(householdId), householdDecider, (s) => (s.status === 'none' ? [{ type: 'OpenHousehold' as const, data: { householdId, ...opened } }] : []), context),
        ).created;
      } catch (error) {
        households.push({ householdId: household.householdId, status: 'failed' as const, errors: [errorAt(base, error)], plans: [] });
        continue;
      }
      const plans: PlanImportResult[] = [];
      for (const [p, plan] of household.plans.entries()) plans.push(await this.importPlan(plan, household.householdId, `${base}/plans/${p}`, registerState, context, track));
      households.push({ householdId: household.householdId, status: created ? ('imported' as const) : ('unchanged' as const), errors: [], plans });
    }
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

  private async importPlan(
    plan: PlanDocument,
    householdId: string,
    base: string,
    register: Parameters<typeof planToCommands>[2],
    context: CommandContext,
    track: Track,
  ): Promise<PlanImportResult> {
    const existing = await this.states.loadOwn(streams.plan(plan.planId), planDecider, context.tenant);
    if (existing.version > 0n) return { planId: plan.planId, status: 'unchanged', errors: [] };
    const commands = planToCommands(plan, householdId, register);
    // Decide everything in memory first, so a refusal writes nothing and names its item.
    let state: PlanState = planDecider.initialState;
    for (const { command, path } of commands) {
      try {
        state = planDecider.decide(command, state).reduce(planDecider.evolve, state);
      } catch (error) {
        return { planId: plan.planId, status: 'failed', errors: [errorAt(`${base}${path ? `/${path}` : ''}`, error)] };
      }
    }
    const spendCommands = await this.spendCommands(plan, state, householdId, base, context);
    if ('errors' in spendCommands) return { planId: plan.planId, status: 'failed', errors: spendCommands.errors };
    track(await handleCommand(this.states, streams.plan(plan.planId), planDecider, () => commands.map((c: LocatedCommand) => c.command), context));
    for (const [budgetId, budgetCommands] of spendCommands.byBudget) {
      track(await handleCommand(this.states, streams.budget(budgetId), budgetDecider, () => budgetCommands, context));
    }
    return { planId: plan.planId, status: 'imported', errors: [] };
  }

  private async spendCommands(
    plan: PlanDocument,
    planState: PlanState,
    householdId: string,
    base: string,
    context: CommandContext,
  ): Promise<{ byBudget: Map<string, BudgetCommand[]> } | { errors: ImportError[] }> {
    const byBudget = new Map<string, BudgetCommand[]>();
    const budgets = new Map<string, BudgetState>();
    const decision = planState.decision && { planId: plan.planId, ...planState.decision };
    for (const [k, spend] of plan.spends.entries()) {
      const { paidOn, invoiceReference, ...committed } = spend;
      if (!budgets.has(spend.budgetId)) {
        budgets.set(spend.budgetId, (await this.states.loadOwn(streams.budget(spend.budgetId), budgetDecider, context.tenant)).state);
      }
      const commands: BudgetCommand[] = [
        { type: 'CommitSpend', data: { ...committed, planId: plan.planId, householdId, decisionId: decision?.decisionId ?? '' }, decision },
        ...(paidOn ? [{ type: 'PaySpend' as const, data: { budgetId: spend.budgetId, spendId: spend.spendId, amount: spend.amount, paidOn, ...(invoiceReference ? { invoiceReference } : {}) } }] : []),
      ];
      let budget = budgets.get(spend.budgetId)!;
      try {
        for (const command of commands) budget = budgetDecider.decide(command, budget).reduce(budgetDecider.evolve, budget);
      } catch (error) {
        return { errors: [errorAt(`${base}/spends/${k}`, error)] };
      }
      budgets.set(spend.budgetId, budget);
      byBudget.set(spend.budgetId, [...(byBudget.get(spend.budgetId) ?? []), ...commands]);
    }
    return { byBudget };
  }
}

