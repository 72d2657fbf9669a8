import { z } from 'zod';

export const roles = ['professional', 'teamleider', 'directeur', 'wethouder', 'auditor', 'accountant', 'analyst', 'admin'] as const;
export type Role = (typeof roles)[number];

/** What a request may do. Every endpoint names exactly one. */
export const permissions = [
  'case:read', // households and plans of the municipality, lists and comparable exceptions
  'case:write', // open households, write plans, import
  'case:export', // the whole household in the exchange format
  'narrative:read', // the personal narrative inside households and plans
  'plan:escalate',
  'plan:decide',
  'spend:write', // commit, pay and reverse spends
  'budget:read',
  'budget:write',
  'mandate:read',
  'mandate:write',
  'finance:read', // cost tables, drill-downs, rechtmatigheid findings
  'audit:read', // audit trails
  'log:read', // the verifiable log: checkpoints and proofs
  'log:checkpoint',
  'analytics:read', // pseudonymised analytics
  'feed:read', // subscriptions to projections without personal data
  'operations:read', // projection status and metrics
  'access-log:read',
  'household:erase',
] as const;
export type Permission = (typeof permissions)[number];

const decider: Permission[] = ['case:read', 'narrative:read', 'plan:escalate', 'plan:decide', 'budget:read', 'mandate:read', 'finance:read', 'audit:read', 'log:read', 'analytics:read'];

/** The role table (docs/security.md shows it to people). */
export const permissionsOfRole: Readonly<Record<Role, readonly Permission[]>> = {
  professional: ['case:read', 'narrative:read', 'case:write', 'case:export', 'plan:escalate', 'spend:write', 'budget:read', 'mandate:read', 'audit:read', 'log:read'],
  teamleider: decider,
  directeur: decider,
  wethouder: decider,
  auditor: ['case:read', 'audit:read', 'log:read', 'log:checkpoint', 'finance:read', 'budget:read', 'mandate:read', 'access-log:read'],
  accountant: ['finance:read', 'budget:read', 'mandate:read', 'audit:read', 'log:read'],
  analyst: ['analytics:read', 'feed:read', 'operations:read'],
  admin: ['mandate:read', 'mandate:write', 'budget:read', 'budget:write', 'spend:write', 'log:read', 'log:checkpoint', 'operations:read', 'access-log:read', 'household:erase'],
};

/** Extra rights granted to a person for a purpose, on top of their roles. */
export const grants = ['narrative'] as const;
const permissionsOfGrant: Readonly<Record<(typeof grants)[number], readonly Permission[]>> = {
  narrative: ['narrative:read', 'case:export'],
};

/** The claims the ledger reads from a verified token. */
export const principalClaims = z.object({
  sub: z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'must be a pseudonymous identifier'),
  municipality: z.string().regex(/^gm\d{4}$/, 'must be a CBS municipality code such as gm0363'),
  roles: z.array(z.enum(roles)).min(1),
  /** The body or person on whose behalf the user acts (namens). */
  namens: z.string().min(1).max(200).optional(),
  grants: z.array(z.enum(grants)).default([]),
});

export interface Principal {
  readonly actor: string;
  readonly tenant: string;
  readonly roles: readonly Role[];
  readonly onBehalfOf?: string;
  readonly grants: readonly (typeof grants)[number][];
  readonly permissions: ReadonlySet<Permission>;
}

export function principalOf(claims: z.infer<typeof principalClaims>): Principal {
  return {
    actor: claims.sub,
    tenant: claims.municipality,
    roles: claims.roles,
    ...(claims.namens ? { onBehalfOf: claims.namens } : {}),
    grants: claims.grants,
    permissions: new Set([...claims.roles.flatMap((r) => permissionsOfRole[r]), ...claims.grants.flatMap((g) => permissionsOfGrant[g])]),
  };
}

const purposeOfRole: Readonly<Record<Role, string>> = {
  professional: 'doorbraak-casework',
  teamleider: 'doorbraak-casework',
  directeur: 'doorbraak-casework',
  wethouder: 'doorbraak-casework',
  auditor: 'audit',
  accountant: 'financial-accountability',
  analyst: 'policy-analytics',
  admin: 'privacy-administration',
};

/** The processing activity (verwerkingsactiviteit) an access serves, by the first role of the token. */
export function purposeOf(principal: Principal): string {
  return purposeOfRole[principal.roles[0]!];
}
