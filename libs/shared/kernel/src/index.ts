export { Money, Exact } from './money';
export { DomainError } from './domain-error';
