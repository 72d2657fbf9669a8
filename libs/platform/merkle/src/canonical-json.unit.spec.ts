import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

describe('canonicalJson (RFC 8785)', () => {
  it('reproduces the serialisation example of RFC 8785 §3.2.2', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units, so an astral character sorts before U+FB33 (RFC 8785 §3.2.3)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('sorts nested objects and keeps array order', () => {
    const value = { z: [{ b: 2, a: 1 }, 'x', [3, { d: null, c: false }]], a: { y: { q: 1, p: 2 }, x: [] }, m: {} };
    expect(canonicalJson(value)).toBe('{"a":{"x":[],"y":{"p":2,"q":1}},"m":{},"z":[{"a":1,"b":2},"x",[3,{"c":false,"d":null}]]}');
  });

  it.each([
    [1e21, '1e+21'],
    [1e20, '100000000000000000000'],
    [0.1, '0.1'],
    [-0, '0'],
    [-1.5e-7, '-1.5e-7'],
    [5e-324, '5e-324'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
  ])('writes the number %p as %s', (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });

  it.each([NaN, Infinity, -Infinity, 10n, Symbol('s'), () => 1, undefined])('refuses %p, which has no JSON form', (value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
    expect(() => canonicalJson([value])).toThrow(TypeError);
  });

  it('leaves out object members whose value is undefined, as JSON.stringify does', () => {
    expect(canonicalJson({ b: undefined, a: 1 })).toBe('{"a":1}');
  });

  it('refuses lone surrogates in strings and keys, and cycles', () => {
    expect(() => canonicalJson('\ud800')).toThrow(/lone surrogate/);
    expect(() => canonicalJson({ '\udc00': 1 })).toThrow(/lone surrogate/);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cyclic/);
  });

  it('names the path to what it refuses', () => {
    expect(() => canonicalJson({ a: [1, { b: NaN }] })).toThrow(new TypeError('$.a[1].b: NaN is not a finite number'));
    expect(() => canonicalJson([{ '\ud800': 1 }])).toThrow(new TypeError('$[0].\ud800: string contains a lone surrogate'));
  });

  it('uses toJSON like JSON.stringify, so dates become ISO strings', () => {
    expect(canonicalJson({ at: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)) })).toBe('{"at":"2025-01-02T03:04:05.000Z"}');
  });

  it('escapes line breaks inside strings', () => {
    expect(canonicalJson({ text: 'a\nb\r\u2028c' })).toBe('{"text":"a\\nb\\r\u2028c"}');
  });

  it('has no raw newline, is a fixed point, and ignores key order, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'grapheme' }), (value) => {
        const text = canonicalJson(value);
        expect(text).not.toMatch(/[\n\r]/);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(reverseKeys(value))).toBe(text);
      }),
    );
  });

  it('writes any JSON value as the plain recursive definition does, keys like __proto__, constructor or 10 and 9 included', () => {
    const key = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'toJSON', 'valueOf', 'length', '10', '9', '', 'a'), fc.string({ unit: 'grapheme', maxLength: 4 }));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 0, stringUnit: 'grapheme' }), fc.array(tie('value'), { maxLength: 4 }), fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }).map(record)),
    }));
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(definition(v));
      }),
      { numRuns: 2_000 },
    );
  });

  it('writes an own __proto__ member and a class instance as data, and names a hole or a function it refuses', () => {
    expect(canonicalJson(JSON.parse('{"b":{"__proto__":1},"a":{}}'))).toBe('{"a":{},"b":{"__proto__":1}}');
    class Point {
      constructor(readonly x: number) {}
    }
    expect(canonicalJson({ p: new Point(1), q: { x: 2 } })).toBe('{"p":{"x":1},"q":{"x":2}}');
    // eslint-disable-next-line no-sparse-arrays -- the hole is what is refused
    expect(() => canonicalJson({ a: [1, , 2] })).toThrow(new TypeError('$.a[1]: a undefined has no JSON representation'));
    expect(() => canonicalJson({ a: { f: () => 1 } })).toThrow(new TypeError('$.a.f: a function has no JSON representation'));
  });
});

/** An object with these own members, `__proto__` included, with or without Object.prototype. */
function record(pairs: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const members = Object.create(null) as Record<string, unknown>;
  for (const [key, member] of pairs) members[key] = member;
  return Object.setPrototypeOf(members, pairs.length % 2 ? Object.prototype : null) as Record<string, unknown>;
}

/** RFC 8785 for JSON data as the RFC defines it: members sorted by UTF-16 code units, primitives as ECMAScript writes them. */
function definition(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(definition).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = value as Record<string, unknown>;
    return `{${Object.keys(members)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${definition(members[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([key, member]) => [key, reverseKeys(member)]));
}
