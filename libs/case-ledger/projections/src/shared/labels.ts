/**
 * Labels for plans and doorbraken that auditors, accountants and analysts can read without seeing free text:
 * made of the household's pseudonymous reference, numbers and codes only ("Plan DEMO-01, doorbraak 1 — inkomen").
 */
export function planLabel(householdReference: string, planVersion: number): string {
  return `Plan ${householdReference}${planVersion > 1 ? ` versie ${planVersion}` : ''}`;
}

export function doorbraakLabel(planLabel: string, number: number, interventionType: string): string {
  return `${planLabel}, doorbraak ${number} — ${interventionType}`;
}
