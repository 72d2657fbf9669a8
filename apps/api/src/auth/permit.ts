import { SetMetadata } from '@nestjs/common';
import type { Permission } from '@doorbraak/application';
import type { FastifyRequest } from 'fastify';

export const PERMISSION = 'ledger:permission';

/** What a route needs: one permission, or one chosen from the request (the generic plan step route). */
export type RequiredPermission = Permission | 'public' | ((request: FastifyRequest) => Permission | undefined);

/** Every route names what it needs; a route without it is refused to everyone (closed by default). */
export const Permit = (permission: Exclude<RequiredPermission, 'public'>) => SetMetadata(PERMISSION, permission);

/** Reachable without a token: health and the API description. */
export const Public = () => SetMetadata(PERMISSION, 'public');
