/**
 * RFC 8785 canonical JSON; contains no raw line break, so documents can be stored one per line. Throws a TypeError
 * for what has no faithful JSON form, including lone surrogates (RFC 8785 §3.2.2.2).
 * @example canonicalJson({ b: 1, a: [true, null] }) === '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  try {
    return serialise(value, []);
  } catch (error) {
    if (error instanceof Refusal) throw new TypeError(`$${error.steps.reverse().join('')}: ${error.reason}`);
    throw error;
  }
}

// Verification serialises every event of the log, so the hot path does no bookkeeping: the path to a refused
// value is collected only while a refusal unwinds, and cycles are found in a short array of ancestors.
class Refusal {
  readonly steps: string[] = [];
  constructor(readonly reason: string) {}
}

// ES2024, in Node since 20; the compiler's library is ES2023.
type WellFormed = string & { isWellFormed(): boolean };

function serialise(value: unknown, ancestors: object[]): string {
  if (typeof value === 'object' && value !== null) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return serialiseJson(toJSON.call(value), ancestors);
  }
  return serialiseJson(value, ancestors);
}

function serialiseJson(json: unknown, ancestors: object[]): string {
  switch (typeof json) {
    case 'string':
      return serialiseString(json);
    case 'boolean':
      return json ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(json)) throw new Refusal(`${json} is not a finite number`);
      return JSON.stringify(json);
    case 'object':
      return json === null ? 'null' : serialiseContainer(json, ancestors);
    default:
      throw new Refusal(`a ${typeof json} has no JSON representation`);
  }
}

// Text without a quote, backslash, control character or surrogate is its own JSON string body.
// eslint-disable-next-line no-control-regex -- the control characters are what the pattern excludes
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

function serialiseString(text: string): string {
  if (PLAIN.test(text)) return `"${text}"`;
  if (!(text as WellFormed).isWellFormed()) throw new Refusal('string contains a lone surrogate');
  return JSON.stringify(text);
}

function serialiseContainer(container: object, ancestors: object[]): string {
  if (ancestors.includes(container)) throw new Refusal('cyclic structure');
  ancestors.push(container);
  let text: string;
  if (Array.isArray(container)) {
    text = '[';
    for (let index = 0; index < container.length; index++) {
      try {
        if (index > 0) text += ',';
        text += serialise(container[index], ancestors);
      } catch (error) {
        if (error instanceof Refusal) error.steps.push(`[${index}]`);
        throw error;
      }
    }
    text += ']';
  } else {
    const record = container as Record<string, unknown>;
    text = '{';
    // Array.prototype.sort without a comparator orders strings by UTF-16 code units, as RFC 8785 §3.2.3 asks.
    for (const key of Object.keys(record).sort()) {
      const member = record[key];
      if (member === undefined) continue;
      try {
        if (text.length > 1) text += ',';
        text += serialiseString(key);
        text += ':';
        text += serialise(member, ancestors);
      } catch (error) {
        if (error instanceof Refusal) error.steps.push(`.${key}`);
        throw error;
      }
    }
    text += '}';
  }
  ancestors.pop();
  return text;
}
