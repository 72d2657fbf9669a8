const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * RFC 8785 canonical JSON; contains no raw line break, so documents can be stored one per line. Throws a TypeError
 * for what has no faithful JSON form, including lone surrogates (RFC 8785 §3.2.2.2).
 * @example canonicalJson({ b: 1, a: [true, null] }) === '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, new Set(), []);
}

/** The path is kept as a stack of steps and only turned into text for an error message (the hot path is long). */
const at = (steps: readonly string[]) => `$${steps.join('')}`;

function serialise(value: unknown, ancestors: Set<object>, path: string[]): string {
  const json = toJsonValue(value);
  if (json === null) return 'null';
  switch (typeof json) {
    case 'boolean':
      return json ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(json)) throw new TypeError(`${at(path)}: ${json} is not a finite number`);
      return JSON.stringify(json);
    case 'string':
      return serialiseString(json, path);
    case 'object':
      return serialiseContainer(json, ancestors, path);
    default:
      throw new TypeError(`${at(path)}: a ${typeof json} has no JSON representation`);
  }
}

function toJsonValue(value: unknown): unknown {
  const toJSON = value !== null && typeof value === 'object' ? (value as { toJSON?: unknown }).toJSON : undefined;
  return typeof toJSON === 'function' ? toJSON.call(value) : value;
}

function serialiseString(text: string, path: readonly string[]): string {
  if (LONE_SURROGATE.test(text)) throw new TypeError(`${at(path)}: string contains a lone surrogate`);
  return JSON.stringify(text);
}

function serialiseContainer(container: object, ancestors: Set<object>, path: string[]): string {
  if (ancestors.has(container)) throw new TypeError(`${at(path)}: cyclic structure`);
  ancestors.add(container);
  try {
    if (Array.isArray(container)) {
      const items: string[] = [];
      for (let index = 0; index < container.length; index++) {
        path.push(`[${index}]`);
        items.push(serialise(container[index], ancestors, path));
        path.pop();
      }
      return `[${items.join(',')}]`;
    }
    const record = container as Record<string, unknown>;
    const members: string[] = [];
    // Array.prototype.sort without a comparator orders strings by UTF-16 code units, as RFC 8785 §3.2.3 asks.
    for (const key of Object.keys(record).sort()) {
      const member = record[key];
      if (member === undefined) continue;
      path.push(`.${key}`);
      members.push(`${serialiseString(key, path)}:${serialise(member, ancestors, path)}`);
      path.pop();
    }
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(container);
  }
}
