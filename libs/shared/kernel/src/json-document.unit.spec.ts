import { z } from 'zod';
import { fieldErrors, forbiddenKey, parseDocument, toPointer } from './json-document';

const refusal = (schema: z.ZodType, document: unknown) => {
  try {
    parseDocument(schema, document);
  } catch (error) {
    return fieldErrors(error as z.ZodError);
  }
  throw new Error('the document was accepted');
};

describe('a JSON document read at an edge', () => {
  const schema = z.strictObject({
    payee: z.object({ kind: z.string() }),
    lines: z.array(z.object({ amount: z.string().transform((a) => ({ cents: a })) })),
    tags: z.array(z.string()).transform((tags) => tags.slice(0, 1)),
  });

  it('given a known shape, when parsed, then it is the parsed value', () => {
    expect(parseDocument(schema, { payee: { kind: 'organisation' }, lines: [{ amount: '1.00' }], tags: ['a'] })).toEqual({ payee: { kind: 'organisation' }, lines: [{ amount: { cents: '1.00' } }], tags: ['a'] });
  });

  it('given an unknown key inside an object that is not strict, when parsed, then it is refused at its own pointer', () => {
    expect(refusal(schema, { payee: { kind: 'organisation', iban: 'x' }, lines: [{ amount: '1', extra: 1 }], tags: [] })).toEqual([
      { pointer: '#/lines/0/extra', detail: 'is not a known field' },
      { pointer: '#/payee/iban', detail: 'is not a known field' },
    ]);
  });

  it('given a value a transform reshapes, when parsed, then only what the transform made is compared', () => {
    expect(() => parseDocument(schema, { payee: { kind: 'k' }, lines: [], tags: ['a', 'b'] })).not.toThrow();
  });

  it('given a prototype key at any depth, then its pointer is named, without recursion', () => {
    let deep: unknown = JSON.parse('{"__proto__":{}}');
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(forbiddenKey(deep)).toBe(`#/${'0/'.repeat(10_000)}__proto__`);
    expect(forbiddenKey({ a: { constructor: { prototype: {} } } })).toBe('#/a/constructor');
    expect(forbiddenKey({ constructor: 'a string' })).toBeUndefined();
  });

  it('escapes ~ and / in a pointer (RFC 6901)', () => {
    expect(toPointer(['a/b', 'c~d', 0])).toBe('#/a~1b/c~0d/0');
  });
});
