/** Dutch presentation of amounts, dates and the ledger's codes. Amounts stay decimal strings: never floats. */

/** "1052.3" → "€ 1.052,30"; exact for any decimal string. */
export function euro(amount: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = amount.replace(/^[-+]/, '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${negative ? '−' : ''}€ ${grouped},${fraction.padEnd(2, '0').slice(0, 2)}`;
}

const dateFormat = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const timeFormat = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam' });

/** "2026-02-04" → "4 feb 2026". */
export function date(iso: string | null | undefined): string {
  return iso ? dateFormat.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`)) : '—';
}

export function dateTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A funding-source code with the law's name, as an accountant reads it: "Wet gemeentelijke schuldhulpverlening (wgs)". */
export function lawName(names: Readonly<Record<string, string>>, code: string): string {
  const name = names[code];
  return name ? `${name} (${code})` : code;
}

export const statusLabel: Readonly<Record<string, string>> = {
  draft: 'Concept',
  submitted: 'Ter besluitvorming',
  escalated: 'Geëscaleerd',
  approved: 'Goedgekeurd',
  rejected: 'Afgewezen',
  in_execution: 'In uitvoering',
  closed: 'Afgesloten',
  replaced: 'Vervangen',
};

export const outcomeLabel: Readonly<Record<string, string>> = {
  approved: 'Goedgekeurd',
  approved_with_conditions: 'Goedgekeurd met voorwaarden',
  rejected: 'Afgewezen',
  on_track: 'Op koers',
  partially_on_track: 'Deels op koers',
  off_track: 'Niet op koers',
  goal_reached: 'Doel bereikt',
};

export const roleLabel: Readonly<Record<string, string>> = {
  professional: 'Professional',
  teamleider: 'Teamleider',
  directeur: 'Directeur',
  wethouder: 'Wethouder',
  auditor: 'Auditor',
  accountant: 'Accountant',
  analyst: 'Analist',
  admin: 'Beheerder',
};

export const scenarioLabel = { huidig: 'Huidig', dreigend: 'Dreigend', doorbraak: 'Doorbraak' } as const;
export const scenarios = ['huidig', 'dreigend', 'doorbraak'] as const;

export const eventLabel: Readonly<Record<string, string>> = {
  PlanDrafted: 'Plan opgesteld',
  SituatieschetsRecorded: 'Situatieschets vastgelegd',
  ToekomstperspectiefRecorded: 'Toekomstperspectief vastgelegd',
  OverzichtRecorded: 'Overzicht vastgelegd',
  DoorbraakDefined: 'Doorbraak benoemd',
  LegitimiteitRecorded: 'Legitimiteit vastgelegd: blokkerende regel en uitzonderingsgronden',
  BetrokkenheidRecorded: 'Betrokkenheid vastgelegd',
  ProfessionalOpinionRecorded: 'Mening van een professional',
  WegingRecorded: 'Weging vastgelegd',
  RendementPeriodSet: 'Periode van het rendement',
  CostLineAdded: 'Kostenregel toegevoegd',
  CostLineCorrected: 'Kostenregel gecorrigeerd',
  CostLineWithdrawn: 'Kostenregel ingetrokken',
  DreigendScenarioEndorsed: 'Dreigend scenario onderschreven',
  ActionPlanned: 'Actie gepland',
  ActionCompleted: 'Actie afgerond',
  VangnetRecorded: 'Vangnet vastgelegd',
  EvaluationScheduled: 'Evaluatie gepland',
  EvaluationRecorded: 'Evaluatie vastgelegd',
  PlanSubmittedForDecision: 'Ter besluitvorming ingediend',
  PlanEscalated: 'Geëscaleerd',
  PlanDecided: 'Besluit genomen',
  PlanExecutionStarted: 'Uitvoering gestart',
  PlanClosed: 'Plan afgesloten',
  PlanReplaced: 'Plan vervangen',
};

/** A free-text field kept under an object's `personal` key, or what stands in its place. */
export function freeText(of: { readonly personal?: unknown } | null | undefined, key: string): string {
  return narrative(of?.personal, (p) => p[key] as string | undefined);
}

/** A plan's or doorbraak's title for those who may read it, its label (codes only) for everyone else. */
export function nameOf(of: { readonly label: string; readonly personal?: unknown }): string {
  const title = (of.personal as Record<string, unknown> | undefined)?.['title'];
  return typeof title === 'string' ? title : of.label;
}

/** What the ledger shows where narrative may not be seen, or was erased. */
export function narrative(personal: unknown, read: (value: Record<string, unknown>) => string | undefined): string {
  const value = (personal ?? {}) as Record<string, unknown>;
  if (value['withheld']) return 'Niet zichtbaar voor uw rol.';
  if (value['erased']) return 'Gewist (persoonsgegevens vernietigd).';
  return read(value) ?? '—';
}
