import { AsyncLocalStorage, AsyncResource, executionAsyncId } from 'node:async_hooks';
import { useBindWithoutDeprecatedProperty } from './async-resource-bind';

describe('AsyncResource#bind without the deprecated asyncResource property', () => {
  const original = AsyncResource.prototype.bind;
  beforeAll(() => useBindWithoutDeprecatedProperty());
  afterAll(() => {
    AsyncResource.prototype.bind = original;
  });

  it('runs the function in the async scope the resource was made in, with its arguments and result', () => {
    const storage = new AsyncLocalStorage<string>();
    const resource = storage.run('request 1', () => new AsyncResource('test'));
    const bound = resource.bind((a: number, b: number) => `${storage.getStore()} ${executionAsyncId() === resource.asyncId()} ${a + b}`);
    expect(storage.run('request 2', () => bound(1, 2))).toBe('request 1 true 3');
    expect(AsyncResource.bind((x: string) => x)('same')).toBe('same');
  });

  it('keeps the caller’s this, or the one given, and the length', () => {
    const resource = new AsyncResource('test');
    function who(this: { name: string }, _a: unknown, _b: unknown) {
      return this.name;
    }
    const called = { name: 'caller', who: resource.bind(who) };
    expect(called.who(1, 2)).toBe('caller');
    // Node's bind takes a thisArg that @types/node does not declare.
    const bindTo = resource.bind as (fn: typeof who, thisArg: object) => (a: unknown, b: unknown) => string;
    expect(bindTo.call(resource, who, { name: 'given' })(1, 2)).toBe('given');
    expect(resource.bind(who).length).toBe(2);
  });

  it('adds no asyncResource property', () => {
    expect(Object.getOwnPropertyNames(new AsyncResource('test').bind(() => 1))).not.toContain('asyncResource');
  });
});
