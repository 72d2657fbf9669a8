import { z } from 'zod';
import { id } from '../shared/schemas';

export const accessActions = ['read', 'search', 'export'] as const;
export const accessObjects = ['household', 'plan', 'plan-list', 'audit-trail', 'comparable-exceptions', 'access-log'] as const;

/**
 * The access log (BIO 8.15.01, NEN 7513): every read, search and export that touches a household's data is an
 * event of its own stream `access-<id>`, so it is append-only and covered by the Merkle log like every other
 * event. The envelope adds who (actor), on whose behalf (namens), the municipality and when.
 */
export const accessEventSchemas = {
  PersonalDataAccessed: z.object({
    accessId: id,
    action: z.enum(accessActions),
    object: z.object({ type: z.enum(accessObjects), id: id.optional() }),
    /** The households whose data the answer contained (pseudonymous ids): what a data subject's request looks up. */
    householdIds: z.array(id).max(10_000),
    result: z.enum(['granted']),
    /** The processing activity (verwerkingsactiviteit) the access served. */
    purpose: z.string().regex(/^[a-z-]{3,60}$/),
    /** What authorised it: the roles and grants of the token. */
    authorisation: z.object({ roles: z.array(z.string().max(40)).min(1), grants: z.array(z.string().max(40)) }),
    /** Whether the narrative (personal part) was shown, or withheld. */
    narrativeDisclosed: z.boolean(),
    breakGlass: z.boolean(),
    /** Origin: the client's network address as the server saw it. */
    origin: z.string().max(100),
    /** The request, for tracing across logs (Logboek Dataverwerkingen trace id). */
    traceId: z.string().max(128),
  }),
} as const;

export type PersonalDataAccessed = z.infer<(typeof accessEventSchemas)['PersonalDataAccessed']>;

export const accessStream = (accessId: string) => `access-${accessId}`;
