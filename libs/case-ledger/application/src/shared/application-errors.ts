import { DomainError } from '@doorbraak/kernel';

/** The stream does not exist for this tenant (or belongs to another: that is not disclosed). */
export class ResourceNotFound extends DomainError {
  readonly code = 'RESOURCE.NOT_FOUND';
  readonly kind = 'not_found';
}

