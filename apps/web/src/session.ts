/** The bearer token of this browser tab (sessionStorage) and what its claims allow the pages to show. */
export interface Claims {
  readonly sub: string;
  readonly municipality: string;
  readonly roles: readonly string[];
  readonly namens?: string;
  readonly grants?: readonly string[];
}

const TOKEN = 'ledger.token';

/**
 * The role table of docs/security.md, only to hide what a role may not do: the API decides every request and
 * answers 403 to anything else.
 */
const decider = ['case:read', 'narrative:read', 'plan:escalate', 'plan:decide', 'budget:read', 'mandate:read', 'finance:read', 'audit:read', 'log:read', 'analytics:read'];
const permissionsOfRole: Readonly<Record<string, readonly string[]>> = {
  professional: ['case:read', 'narrative:read', 'case:write', 'case:export', 'plan:escalate', 'spend:write', 'budget:read', 'mandate:read', 'audit:read', 'log:read'],
  teamleider: decider,
  directeur: decider,
  wethouder: decider,
  auditor: ['case:read', 'audit:read', 'log:read', 'log:checkpoint', 'finance:read', 'budget:read', 'mandate:read', 'access-log:read'],
  accountant: ['finance:read', 'budget:read', 'mandate:read', 'audit:read', 'log:read'],
  analyst: ['analytics:read', 'feed:read', 'operations:read'],
  admin: ['mandate:read', 'mandate:write', 'budget:read', 'budget:write', 'spend:write', 'log:read', 'log:checkpoint', 'operations:read', 'access-log:read', 'household:erase'],
};

export const decisionRoles = ['teamleider', 'directeur', 'wethouder'] as const;

export function token(): string | null {
  return sessionStorage.getItem(TOKEN);
}

export function claims(): Claims | null {
  const jwt = token();
  if (!jwt) return null;
  try {
    const payload = jwt.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)))) as Claims & { exp?: number };
    return claims.exp && claims.exp * 1000 < Date.now() ? null : claims;
  } catch {
    return null;
  }
}

export function logIn(jwt: string): void {
  sessionStorage.setItem(TOKEN, jwt);
}

export function logOut(): void {
  sessionStorage.clear();
}

export function can(permission: string): boolean {
  const current = claims();
  if (!current) return false;
  if (permission === 'narrative:read' && current.grants?.includes('narrative')) return true;
  return current.roles.some((role) => permissionsOfRole[role]?.includes(permission));
}
