import { type HouseholdDocument, demoDataset } from '@doorbraak/application';
import { Decimal } from 'decimal.js';
import { randomUUID } from 'node:crypto';

/** How many times a municipality holds the demo's households (and its budgets are that many times larger). */
export const HOUSEHOLD_COPIES = 5;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Deep copy of `value` with every UUID replaced through `rename` and every string `from` replaced by `to`. */
function rewrite<T>(value: T, rename: (id: string) => string, from: string, to: string): T {
  if (typeof value === 'string') return (UUID.test(value) ? rename(value) : value === from ? to : value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => rewrite(item, rename, from, to)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rewrite(item, rename, from, to)])) as T;
  }
  return value;
}

/** A fresh id per original id, remembered. */
function renamer(): (id: string) => string {
  const fresh = new Map<string, string>();
  return (id) => {
    let renamed = fresh.get(id);
    if (!renamed) fresh.set(id, (renamed = randomUUID()));
    return renamed;
  };
}

/**
 * Municipality number `n` (CBS code gm0001, gm0002, …): the demo dataset with fresh ids, its mandates and
 * budgets once and its households with their plans, decisions and spends `HOUSEHOLD_COPIES` times, so the
 * proportions are the demo's and budgets stay within their authorised amounts.
 */
export function syntheticMunicipality(n: number): HouseholdDocument {
  const demo = demoDataset();
  const tenant = `gm${String(n).padStart(4, '0')}`;
  const shared = new Set([...demo.mandates.map((m) => m.mandateId), ...demo.budgets.map((b) => b.budgetId)]);
  const municipality = renamer();
  const households = Array.from({ length: HOUSEHOLD_COPIES }, () => {
    const copy = renamer();
    return rewrite(demo.households, (id) => (shared.has(id) ? municipality(id) : copy(id)), demo.tenant, tenant);
  }).flat();
  return {
    ...demo,
    tenant,
    mandates: rewrite(demo.mandates, municipality, demo.tenant, tenant),
    budgets: rewrite(demo.budgets, municipality, demo.tenant, tenant).map((b) => ({
      ...b,
      authorisedAmount: new Decimal(b.authorisedAmount).times(HOUSEHOLD_COPIES).toFixed(2),
    })),
    households,
  };
}
