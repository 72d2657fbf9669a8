import type { z } from 'zod';
import { accessEventSchemas } from './access-log/access-log';
import { budgetEventSchemas } from './budget/budget';
import { householdEventSchemas } from './household/household';
import { mandateEventSchemas } from './mandate-register/mandate-register';
import { planEventSchemas } from './plan/plan.events';

/** Every event type of the ledger with the schema of its current version (all are version 1 so far). */
export const eventSchemas = { ...householdEventSchemas, ...planEventSchemas, ...mandateEventSchemas, ...budgetEventSchemas, ...accessEventSchemas } as const;
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

/** What the `personal` part of an event reads as once the household's personal data has been erased. */
export const ERASED_PERSONAL = Object.freeze({ erased: true as const });

export function isErased(personal: unknown): personal is typeof ERASED_PERSONAL {
  return typeof personal === 'object' && personal !== null && (personal as { erased?: unknown }).erased === true;
}

/**
 * A copy of a document (an event, a view, an export) with the value of every `personal` key, at any depth,
 * replaced by `marker`: how erased narrative is shown, and how it is withheld from those not granted it.
 */
export function replacePersonal<T>(value: T, marker: Readonly<Record<string, unknown>>): T {
  if (Array.isArray(value)) return value.map((v) => replacePersonal(v, marker)) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'personal' ? marker : replacePersonal(v, marker)])) as T;
}

/**
 * Parses stored event data against its schema (data read back from the store is an edge too). An erased
 * personal part stays `{ erased: true }`: readers of `personal` check `isErased` first.
 */
export function parseLedgerEvent(type: string, schemaVersion: number, data: unknown): LedgerEvent {
  if (!isLedgerEventType(type)) throw new Error(`unknown event type ${type}`);
  if (schemaVersion !== CURRENT_SCHEMA_VERSION) throw new Error(`no upcaster for ${type} v${schemaVersion}`);
  const { personal, ...facts } = data as { personal?: unknown };
  if (isErased(personal)) {
    const schema = eventSchemas[type] as unknown as z.ZodObject;
    return { type, data: { ...schema.omit({ personal: true } as never).parse(facts), personal: ERASED_PERSONAL } } as unknown as LedgerEvent;
  }
  return { type, data: eventSchemas[type].parse(data) } as LedgerEvent;
}
