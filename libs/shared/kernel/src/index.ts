export { Money, Exact } from './money';
export { DomainError } from './domain-error';
export { type FieldError, FORBIDDEN_KEY, fieldErrors, forbiddenKey, parseDocument, toPointer } from './json-document';
