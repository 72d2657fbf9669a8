import type { z } from 'zod';
import { type PersonalDataAccessed, accessEventSchemas } from './access-log/access-log';
import { type BudgetEvent, budgetEventSchemas, budgetFreeText } from './budget/budget';
import { type HouseholdEvent, householdEventSchemas, householdFreeText } from './household/household';
import { type MandateEvent, mandateEventSchemas } from './mandate-register/mandate-register';
import { type PlanEvent, planEventSchemas, planFreeText } from './plan/plan.events';
import { type FreeTextShape, joinFreeText, nestFreeText, sealFreeText, sealedSchema } from './shared/free-text';

/** What is written for every event type (the layout of schema version 1: free text in place). */
export const contentSchemas = { ...householdEventSchemas, ...planEventSchemas, ...mandateEventSchemas, ...budgetEventSchemas, ...accessEventSchemas } as const;
export type LedgerEventType = keyof typeof contentSchemas;
/** An event as written, before its free text is moved (what specifications and imports start from). */
export type WrittenEvent = { [K in LedgerEventType]: { type: K; data: z.infer<(typeof contentSchemas)[K]> } }[LedgerEventType];

/**
 * The free text of every event type. Mandate registers, budgets and the access log are no household's streams
 * and hold none of a household's free text: theirs stays in the clear.
 */
export const freeTextOf: Readonly<Record<LedgerEventType, FreeTextShape>> = {
  ...householdFreeText,
  ...planFreeText,
  ...budgetFreeText,
  MandateGranted: {},
  MandateRevoked: {},
  PersonalDataAccessed: {},
};

/**
 * Version 2 of every event as stored: version 1 with its free text moved under `personal`, so that all of it
 * is sealed with the household's key, erased with it, and committed to in the Merkle leaf only through the
 * salted commitment.
 */
export const CURRENT_SCHEMA_VERSION = 2;
export const eventSchemas = Object.fromEntries(
  Object.entries(contentSchemas).map(([type, schema]) => [type, sealedSchema(schema as unknown as z.ZodObject, freeTextOf[type as LedgerEventType])]),
) as Readonly<Record<LedgerEventType, z.ZodObject>>;

export type LedgerEvent = HouseholdEvent | PlanEvent | MandateEvent | BudgetEvent | { type: 'PersonalDataAccessed'; data: PersonalDataAccessed };

/** An event as written → as stored: its free text under `personal`. */
export function toStoredData(type: LedgerEventType, content: object): Record<string, unknown> {
  return sealFreeText(content, freeTextOf[type]) as Record<string, unknown>;
}

/** An event as written → as stored (deciders and specifications). */
export function toStoredEvent<E extends { type: LedgerEventType; data: object }>(event: E): LedgerEvent {
  return { type: event.type, data: toStoredData(event.type, event.data) } as LedgerEvent;
}

/**
 * An event's data as people read it: each piece of free text on the object it describes, under that object's
 * own `personal` key (see `nestFreeText`); an erased part reads `{ erased: true }` in each place.
 */
export function readableData(event: LedgerEvent): Record<string, unknown> {
  return nestFreeText(event.data as Record<string, unknown>, freeTextOf[event.type], ERASED_PERSONAL);
}

/**
 * An event's data as written (the inverse of `toStoredData`), for exports in the exchange format: an erased
 * personal part reads `{ erased: true }` and its free text is absent.
 */
export function writtenData(event: LedgerEvent): Record<string, unknown> {
  return joinFreeText(event.data as Record<string, unknown>, freeTextOf[event.type]);
}

export function isLedgerEventType(type: string): type is LedgerEventType {
  return Object.prototype.hasOwnProperty.call(contentSchemas, type);
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
 * Version 1 → 2: the free text moves under `personal`, as if it had been written now. When the version 1
 * event's own personal part was erased, its free text reads as erased too (it is still in the clear in the
 * stored version 1 event: see ADR 0020).
 */
function upcastFromVersion1(type: LedgerEventType, data: Record<string, unknown>): Record<string, unknown> {
  const stored = toStoredData(type, { ...data, personal: undefined });
  const { personal: moved, ...facts } = stored;
  if (isErased(data['personal'])) return { ...facts, personal: ERASED_PERSONAL };
  const personal = { ...(data['personal'] as object | undefined), ...(moved as object | undefined) };
  return data['personal'] === undefined && moved === undefined ? facts : { ...facts, personal };
}

/**
 * Parses stored event data against the schema of the current version, upcasting older versions first (data
 * read back from the store is an edge too). An erased personal part stays `{ erased: true }`: readers of
 * `personal` check `isErased` first.
 */
export function parseLedgerEvent(type: string, schemaVersion: number, stored: unknown): LedgerEvent {
  if (!isLedgerEventType(type)) throw new Error(`unknown event type ${type}`);
  if (schemaVersion !== 1 && schemaVersion !== CURRENT_SCHEMA_VERSION) throw new Error(`no upcaster for ${type} v${schemaVersion}`);
  const data = schemaVersion === 1 ? upcastFromVersion1(type, stored as Record<string, unknown>) : stored;
  const { personal, ...facts } = data as { personal?: unknown };
  if (isErased(personal)) {
    const schema = eventSchemas[type];
    const omitted = schema.shape['personal'] ? schema.omit({ personal: true } as never) : schema;
    return { type, data: { ...omitted.parse(facts), personal: ERASED_PERSONAL } } as unknown as LedgerEvent;
  }
  return { type, data: eventSchemas[type].parse(data) } as unknown as LedgerEvent;
}
