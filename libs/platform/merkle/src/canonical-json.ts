const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * RFC 8785 canonical JSON; contains no raw line break, so documents can be stored one per line. Throws a TypeError
 * for what has no faithful JSON form, including lone surrogates (RFC 8785 §3.2.2.2).
 * @example canonicalJson({ b: 1, a: [true, null] }) === '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, new Set(), '$');
}

function serialise(value: unknown, ancestors: Set<object>, path: string): string {
  const json = toJsonValue(value);
  if (json === null) return 'null';
  switch (typeof json) {
    case 'boolean':
      return json ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(json)) throw new TypeError(`${path}: ${json} is not a finite number`);
      return JSON.stringify(json);
    case 'string':
      return serialiseString(json, path);
    case 'object':
      return serialiseContainer(json, ancestors, path);
    default:
      throw new TypeError(`${path}: a ${typeof json} has no JSON representation`);
  }
}

function toJsonValue(value: unknown): unknown {
  const toJSON = value !== null && typeof value === 'object' ? (value as { toJSON?: unknown }).toJSON : undefined;
  return typeof toJSON === 'function' ? toJSON.call(value) : value;
}

function serialiseString(text: string, path: string): string {
  if (LONE_SURROGATE.test(text)) throw new TypeError(`${path}: string contains a lone surrogate`);
  return JSON.stringify(text);
}

function serialiseContainer(container: object, ancestors: Set<object>, path: string): string {
  if (ancestors.has(container)) throw new TypeError(`${path}: cyclic structure`);
  ancestors.add(container);
  try {
    if (Array.isArray(container)) {
      return `[${container.map((item, index) => serialise(item, ancestors, `${path}[${index}]`)).join(',')}]`;
    }
    const record = container as Record<string, unknown>;
    const members: string[] = [];
    // Array.prototype.sort without a comparator orders strings by UTF-16 code units, as RFC 8785 §3.2.3 asks.
    for (const key of Object.keys(record).sort()) {
      const member = record[key];
      if (member === undefined) continue;
      const memberPath = `${path}.${key}`;
      members.push(`${serialiseString(key, memberPath)}:${serialise(member, ancestors, memberPath)}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(container);
  }
}
