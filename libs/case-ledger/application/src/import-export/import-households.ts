import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type BudgetCommand,
  type BudgetState,
  type DomainEvent,
  type PlanState,
  budgetDecider,
  householdDecider,
  mandateRegisterDecider,
  planDecider,
  streams,
} from '@doorbraak/domain';
import { type StreamAppend, WrongExpectedVersionError } from '@doorbraak/event-store';
import { DomainError } from '@doorbraak/kernel';
import type { CommandContext } from '../shared/command-context';
import { decideAll, eventsToAppend, handleCommand } from '../shared/handle-command';
import { STREAM_STATES, type StreamState, type StreamStates } from '../shared/stream-states';
import type { HouseholdDocument, PlanDocument } from './household-document.schema';
import { planToCommands } from './plan-to-commands';

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

/** Times the plans of one import are decided again after a unit was refused for a version. */
const ROUNDS = 5;

type Track = <T extends { logPosition: string; created: boolean }>(result: T) => T;

/** The document's municipality is not the caller's. */
export class ImportTenantMismatch extends DomainError {
  readonly code = 'IMPORT.TENANT_MISMATCH';
  readonly kind = 'forbidden';
}

/**
 * Imports a document through the same deciders as the API, so every rule applies. Each plan is all or nothing:
 * its events and its spends are decided in memory first and appended as one unit, to the plan and its budgets
 * together. Importing the same document again changes nothing.
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
    const openedBudgets = await Promise.all(
      document.budgets.map(async (budget) => track(await handleCommand(this.states, streams.budget(budget.budgetId), budgetDecider, (s) => (s.status === 'none' ? [{ type: 'OpenBudget' as const, data: budget }] : []), context)).created),
    );
    const register = await this.states.loadOwn(streams.mandates(context.tenant), mandateRegisterDecider, context.tenant);
    const registerState = { state: register.state, version: Number(register.version) };
    const opened = await this.openHouseholds(document, context, track);
    const plans = await this.importPlans(document, opened.map((o) => !('error' in o)), registerState, context, track);
    const households = document.households.map((household, h) => {
      const outcome = opened[h]!;
      if ('error' in outcome) return { householdId: household.householdId, status: 'failed' as const, errors: [outcome.error], plans: [] };
      return { householdId: household.householdId, status: outcome.created ? ('imported' as const) : ('unchanged' as const), errors: [], plans: plans.get(h)! };
    });
    return { tenant: document.tenant, logPosition: last, mandates: { added: mandates }, budgets: { added: openedBudgets.filter(Boolean).length }, households };
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
   * Opens every household the process does not know, in one call to the store, expecting its stream to be new;
   * a household whose stream is there after all (or that the process knows) goes through the command as usual.
   */
  private async openHouseholds(document: HouseholdDocument, context: CommandContext, track: Track): Promise<({ created: boolean } | { error: ImportError })[]> {
    const open = (household: HouseholdDocument['households'][number]) => {
      const { householdId, plans: _plans, ...data } = household;
      return { type: 'OpenHousehold' as const, data: { householdId, ...data } };
    };
    const usual = async (household: HouseholdDocument['households'][number], h: number) => {
      try {
        return { created: track(await handleCommand(this.states, streams.household(household.householdId), householdDecider, (s) => (s.status === 'none' ? [open(household)] : []), context)).created };
      } catch (error) {
        return { error: errorAt(`households/${h}`, error) };
      }
    };
    const outcomes: (({ created: boolean } | { error: ImportError }) | undefined)[] = document.households.map(() => undefined);
    const fresh: { h: number; streamId: string; decided: ReturnType<typeof decideAll<never, DomainEvent, unknown>> }[] = [];
    document.households.forEach((household, h) => {
      const streamId = streams.household(household.householdId);
      if (this.states.remembered(streamId, householdDecider)) return;
      try {
        fresh.push({ h, streamId, decided: decideAll(householdDecider, householdDecider.initialState, open(household)) as never });
      } catch (error) {
        outcomes[h] = { error: errorAt(`households/${h}`, error) };
      }
    });
    const stored = await this.states.store.appendUnits(fresh.map(({ streamId, decided }) => [{ streamId, events: eventsToAppend(streamId, decided.events, context), expected: 'no_stream' }]));
    stored.forEach((outcome, k) => {
      const { h, streamId, decided } = fresh[k]!;
      if ('error' in outcome) {
        if (!(outcome.error instanceof WrongExpectedVersionError)) throw outcome.error;
        return;
      }
      const result = outcome.ok[0]!;
      this.states.remember(streamId, householdDecider, { version: result.streamVersion, state: decided.evolving as never, tenant: context.tenant, logPosition: result.logPosition, keys: new Map() });
      track({ logPosition: result.logPosition, created: true });
      outcomes[h] = { created: true };
    });
    return Promise.all(document.households.map((household, h) => outcomes[h] ?? usual(household, h)));
  }

  /**
   * Decides every plan in memory in document order (budgets evolving as plans spend from them), then appends each
   * accepted plan with its spends as one unit, all units in one call to the store. A plan the process does not
   * know is expected to be new, so nothing is read for it. A unit refused for a version (another writer moved a
   * budget, or the plan was there after all) writes nothing: its plan, and every plan after it, is decided again
   * on what is stored then, at most `ROUNDS` times.
   */
  private async importPlans(
    document: HouseholdDocument,
    householdOpened: readonly boolean[],
    register: Parameters<typeof planToCommands>[2],
    context: CommandContext,
    track: Track,
  ): Promise<Map<number, PlanImportResult[]>> {
    const located = document.households.flatMap((household, h) => (householdOpened[h] ? household.plans.map((plan, p) => ({ h, plan, householdId: household.householdId, base: `households/${h}/plans/${p}` })) : []));
    const budgetIds = [...new Set(located.flatMap(({ plan }) => plan.spends.map((spend) => spend.budgetId)))];
    const loadBudgets = async () => new Map(await Promise.all(budgetIds.map(async (budgetId) => [budgetId, await this.states.loadOwn(streams.budget(budgetId), budgetDecider, context.tenant)] as const)));
    const results: PlanImportResult[] = new Array(located.length);
    const plans = new Map<string, StreamState<PlanState> | undefined>(located.map(({ plan }) => [plan.planId, this.states.remembered(streams.plan(plan.planId), planDecider)]));
    // A plan the store holds already: unchanged (or, when another municipality's, refused), with its result set.
    const stored = (i: number): boolean => {
      const { plan, base } = located[i]!;
      const known = plans.get(plan.planId);
      if (!known || known.version === 0n) return false;
      const taken = known.tenant !== context.tenant;
      results[i] = { planId: plan.planId, status: taken ? 'failed' : 'unchanged', errors: taken ? [{ pointer: `#/${base}/planId`, detail: 'another plan has this id', code: 'IMPORT.PLAN_ID_TAKEN' }] : [] };
      return true;
    };
    let budgets = await loadBudgets();
    let pending = located.map((_, i) => i);
    for (let round = 1; pending.length > 0; round++) {
      const working = new Map(budgets);
      const units: { i: number; unit: StreamAppend[]; state: PlanState }[] = [];
      const seen = new Set<string>();
      for (const i of pending) {
        const { plan, householdId, base } = located[i]!;
        const result = (status: PlanImportResult['status'], errors: ImportError[] = []) => (results[i] = { planId: plan.planId, status, errors });
        if (stored(i)) continue;
        if (seen.has(plan.planId)) {
          result('unchanged');
          continue;
        }
        seen.add(plan.planId);
        const decided = this.decidePlan(plan, householdId, base, register, working, context);
        if ('errors' in decided) {
          result('failed', decided.errors);
          continue;
        }
        decided.budgets.forEach((budget, budgetId) => working.set(budgetId, budget));
        units.push({ i, unit: decided.unit, state: decided.state });
        result('imported');
      }
      // A plan refused here that is not known may be stored already: then it is unchanged.
      const unsure = pending.filter((i) => results[i]!.status === 'failed' && plans.get(located[i]!.plan.planId) === undefined);
      await Promise.all(unsure.map(async (i) => plans.set(located[i]!.plan.planId, await this.states.load(streams.plan(located[i]!.plan.planId), planDecider))));
      unsure.forEach((i) => stored(i));
      const appended = await this.states.store.appendUnits(units.map((u) => u.unit));
      const refused: number[] = [];
      // The log position of the last spend stored in each budget.
      const written = new Map<string, string>();
      appended.forEach((outcome, k) => {
        const { i, unit, state } = units[k]!;
        if ('error' in outcome) {
          if (!(outcome.error instanceof WrongExpectedVersionError) || round === ROUNDS) throw outcome.error;
          refused.push(i);
          return;
        }
        const planResult = outcome.ok[outcome.ok.length - 1]!;
        this.states.remember(unit[unit.length - 1]!.streamId, planDecider, { version: planResult.streamVersion, state, tenant: context.tenant, logPosition: planResult.logPosition, keys: new Map() });
        outcome.ok.forEach((r, part) => {
          track({ logPosition: r.logPosition, created: true });
          if (part < unit.length - 1) written.set(unit[part]!.streamId, r.logPosition);
        });
      });
      if (refused.length === 0) {
        // Every unit is stored: the budgets are as this round left them.
        for (const [budgetId, budget] of working) {
          const logPosition = written.get(streams.budget(budgetId));
          if (logPosition) this.states.remember(streams.budget(budgetId), budgetDecider, { ...budget, logPosition });
        }
        break;
      }
      // Decide again, on what is stored now, every plan from the first refused one on that is not stored.
      const first = refused[0]!;
      const storedPlans = new Set(units.filter((_, k) => !('error' in appended[k]!)).map((u) => u.i));
      pending = pending.filter((i) => i >= first && !storedPlans.has(i));
      budgetIds.forEach((budgetId) => this.states.forget(streams.budget(budgetId)));
      budgets = await loadBudgets();
      await Promise.all(refused.map(async (i) => plans.set(located[i]!.plan.planId, await this.states.load(streams.plan(located[i]!.plan.planId), planDecider))));
    }
    const byHousehold = new Map<number, PlanImportResult[]>(document.households.map((_, h) => [h, []]));
    located.forEach(({ h }, i) => byHousehold.get(h)!.push(results[i]!));
    return byHousehold;
  }

  /**
   * One plan decided in memory on the budgets as the import has them so far: the unit that stores it (its budgets'
   * spends first, then the plan) and the budgets after it; or the errors that refuse it, naming the item.
   */
  private decidePlan(
    plan: PlanDocument,
    householdId: string,
    base: string,
    register: Parameters<typeof planToCommands>[2],
    known: ReadonlyMap<string, StreamState<BudgetState>>,
    context: CommandContext,
  ): { unit: StreamAppend[]; state: PlanState; budgets: Map<string, StreamState<BudgetState>> } | { errors: ImportError[] } {
    const planId = streams.plan(plan.planId);
    let state: PlanState = planDecider.initialState;
    const events: ReturnType<typeof decideAll<never, DomainEvent, PlanState>>['events'] = [];
    for (const { command, path } of planToCommands(plan, householdId, register)) {
      try {
        const decided = decideAll(planDecider, state, command);
        state = decided.evolving;
        events.push(...decided.events);
      } catch (error) {
        return { errors: [errorAt(`${base}${path ? `/${path}` : ''}`, error)] };
      }
    }
    const byBudget = new Map<string, { before: StreamState<BudgetState>; state: BudgetState; events: typeof events }>();
    const decision = state.decision && { planId: plan.planId, ...state.decision };
    for (const [k, spend] of plan.spends.entries()) {
      const { paidOn, invoiceReference, ...committed } = spend;
      const commands: BudgetCommand[] = [
        { type: 'CommitSpend', data: { ...committed, planId: plan.planId, householdId, decisionId: decision?.decisionId ?? '' }, decision },
        ...(paidOn ? [{ type: 'PaySpend' as const, data: { budgetId: spend.budgetId, spendId: spend.spendId, amount: spend.amount, paidOn, ...(invoiceReference ? { invoiceReference } : {}) } }] : []),
      ];
      const budget = byBudget.get(spend.budgetId) ?? { before: known.get(spend.budgetId)!, state: known.get(spend.budgetId)!.state, events: [] };
      try {
        const decided = decideAll(budgetDecider, budget.state, commands);
        byBudget.set(spend.budgetId, { ...budget, state: decided.evolving, events: [...budget.events, ...decided.events] });
      } catch (error) {
        return { errors: [errorAt(`${base}/spends/${k}`, error)] };
      }
    }
    const unit: StreamAppend[] = [];
    const budgets = new Map<string, StreamState<BudgetState>>();
    for (const [budgetId, { before, state: after, events: spent }] of byBudget) {
      const streamId = streams.budget(budgetId);
      // The key of a request names the plan too: one budget takes the spends of many plans.
      unit.push({ streamId, events: eventsToAppend(streamId, spent, context, context.idempotencyKey && `${context.idempotencyKey}\u0000${plan.planId}`), expected: before.version });
      budgets.set(budgetId, { ...before, version: before.version + BigInt(spent.length), state: after });
    }
    unit.push({ streamId: planId, events: eventsToAppend(planId, events, context), expected: 'no_stream' });
    return { unit, state, budgets };
  }
}
