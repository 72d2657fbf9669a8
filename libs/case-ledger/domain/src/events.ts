import type { z } from 'zod';
import { budgetEventSchemas } from './budget/budget';
import { householdEventSchemas } from './household/household';
import { mandateEventSchemas } from './mandate-register/mandate-register';
import { planEventSchemas } from './plan/plan.events';

/** Every event type of the ledger with the schema of its current version (all are version 1 so far). */
export const eventSchemas = { ...householdEventSchemas, ...planEventSchemas, ...mandateEventSchemas, ...budgetEventSchemas } as const;
export type LedgerEventType = keyof typeof eventSchemas;
export const CURRENT_SCHEMA_VERSION = 1;

export type LedgerEvent = { [K in LedgerEventType]: { type: K; data: z.infer<(typeof eventSchemas)[K]> } }[LedgerEventType];

export function isLedgerEventType(type: string): type is LedgerEventType {
  return Object.prototype.hasOwnProperty.call(eventSchemas, type);
}

/** Stream names: `<category>-<id>`. */
export const streams = {
  household: (householdId: string) => `household-${householdId}`,
  plan: (planId: string) => `plan-${planId}`,
  mandates: (tenant: string) => `mandates-${tenant}`,
  budget: (budgetId: string) => `budget-${budgetId}`,
} as const;

/** Parses stored event data against its schema (data read back from the store is an edge too). */
export function parseLedgerEvent(type: string, schemaVersion: number, data: unknown): LedgerEvent {
  if (!isLedgerEventType(type)) throw new Error(`unknown event type ${type}`);
  if (schemaVersion !== CURRENT_SCHEMA_VERSION) throw new Error(`no upcaster for ${type} v${schemaVersion}`);
  return { type, data: eventSchemas[type].parse(data) } as LedgerEvent;
}
