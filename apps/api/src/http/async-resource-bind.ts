import { AsyncResource } from 'node:async_hooks';

type Callback = (...args: unknown[]) => unknown;

/**
 * `AsyncResource#bind` as it is once the bound function's `asyncResource` property (DEP0172) is gone: the
 * function runs in the resource's async scope, with the same `this` and length. Node 20 still attaches that
 * property as two `util.deprecate` wrappers, each made with the bound closure as its prototype; Fastify binds the
 * callback of every request body it parses, and those wrappers kept every request's objects reachable from old
 * space until the next full collection, so that each young collection copied and promoted them.
 */
export function useBindWithoutDeprecatedProperty(): void {
  AsyncResource.prototype.bind = function bind(this: AsyncResource, fn: Callback, thisArg?: unknown) {
    if (typeof fn !== 'function') throw new TypeError('The "fn" argument must be of type function');
    const bound = thisArg === undefined ? inScopeOf(this, fn) : this.runInAsyncScope.bind(this, fn, thisArg);
    Object.defineProperty(bound, 'length', { configurable: true, enumerable: false, value: fn.length, writable: false });
    return bound;
  } as typeof AsyncResource.prototype.bind;
}

/** `fn` run in the resource's async scope with the `this` it is called with. */
function inScopeOf(resource: AsyncResource, fn: Callback): Callback {
  return function (this: unknown, ...args: unknown[]) {
    return resource.runInAsyncScope(fn, this, ...args);
  };
}
