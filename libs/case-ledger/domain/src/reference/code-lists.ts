/**
 * Funding sources: the law, scheme or fund that pays a cost line or a budget. Also used for the law a blocking
 * rule belongs to. An unknown code is refused at every edge.
 */
export const fundingSources = {
  wmo: 'Wet maatschappelijke ondersteuning 2015',
  jeugdwet: 'Jeugdwet',
  participatiewet: 'Participatiewet (algemene bijstand)',
  'bijzondere-bijstand': 'Participatiewet, bijzondere bijstand',
  wgs: 'Wet gemeentelijke schuldhulpverlening',
  wsnp: 'Wet schuldsanering natuurlijke personen',
  zvw: 'Zorgverzekeringswet',
  wlz: 'Wet langdurige zorg',
  uwv: 'UWV (WIA, WW, Wajong)',
  toeslagen: 'Toeslagen (Belastingdienst)',
  doorbraakbudget: 'Doorbraakbudget',
  maatwerkbudget: 'Maatwerkbudget',
  fonds: 'Fonds (private or charitable)',
  justitie: 'Justitie (detentie, reclassering)',
  woningcorporatie: 'Woningcorporatie',
  onderwijs: 'Onderwijs (DUO, school)',
  brp: 'Wet basisregistratie personen',
} as const;
export type FundingSource = keyof typeof fundingSources;
export const fundingSourceCodes = Object.keys(fundingSources) as [FundingSource, ...FundingSource[]];

/**
 * Laws and schemes the municipality itself owns and may deviate from (by mandate). Rules of the others belong
 * to another body (UWV, the insurer, the rechter-commissaris, a corporation) that decides on them.
 */
export const municipalSources: readonly FundingSource[] = ['wmo', 'jeugdwet', 'participatiewet', 'bijzondere-bijstand', 'wgs', 'doorbraakbudget', 'maatwerkbudget', 'brp'];

export const interventionTypes = ['inkomen', 'schulden', 'huisvesting', 'zorg', 'jeugdhulp', 'onderwijs', 'werk', 'vervoer', 'overig'] as const;
export type InterventionType = (typeof interventionTypes)[number];

export const targetGroups = ['jongeren-18-27', 'gezin-met-kinderen', 'alleenstaande', 'ex-gedetineerde', 'oudere', 'overig'] as const;
export type TargetGroup = (typeof targetGroups)[number];

/** Levels of municipal authority, lowest first: escalation goes up this list. */
export const decisionRoles = ['teamleider', 'directeur', 'wethouder'] as const;
export type DecisionRole = (typeof decisionRoles)[number];

export const ruleSourceKinds = ['wet', 'amvb', 'verordening', 'beleidsregel', 'protocol', 'regel-derde'] as const;

/** Units a cost line is priced in. */
export const costUnits = ['dag', 'dagdeel', 'week', 'maand', 'jaar', 'uur', 'interventie', 'huishouden', 'leerling', 'stuk', 'traject', 'keer', 'fiets', 'auto', 'uitzetting', 'uithuisplaatsing'] as const;
