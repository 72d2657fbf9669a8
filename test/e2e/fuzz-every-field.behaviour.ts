import { type CliContext, buildProgram } from '@doorbraak/cli';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiHarness } from './ledger-harness';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Operation {
  readonly method: string;
  readonly path: string;
  readonly operationId: string;
  readonly example: Json;
  readonly headers: readonly string[];
}

/** Arrays nested `depth` deep, built without recursion. */
const nested = (depth: number): Json => {
  let value: Json = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

/** The fixed hostile list each field gets in turn. */
export const hostileValues: readonly Json[] = [
  '',
  'NaN',
  '1.052,32',
  1e308,
  -1,
  true,
  null,
  [],
  {},
  '\u0000',
  '\ud800',
  'x'.repeat(100_000),
  nested(1_000),
];

/** Every field of a body, nested objects and array items included, as JSON pointer segments. */
function fieldsOf(value: Json, at: readonly string[] = []): string[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...at, String(i)], ...fieldsOf(v, [...at, String(i)])]);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [[...at, k], ...fieldsOf(v, [...at, k])]);
}

/** A copy of `body` with the field at `path` replaced (or removed when `value` is undefined). */
function withField(body: Json, path: readonly string[], value: Json | undefined): Json {
  const copy = structuredClone(body) as Record<string, Json>;
  let parent = copy as Record<string, Json>;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string, Json>;
  const last = path[path.length - 1]!;
  if (value !== undefined) parent[last] = value;
  else if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
  return copy;
}

const pointerOf = (path: readonly string[]) => `#/${path.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

interface Case {
  readonly label: string;
  readonly payload: string;
  readonly contentType: string;
  /** The pointer an error must name (itself or something inside it); none for a fault of the whole body. */
  readonly pointer?: string;
  /** A value no field may hold; others may be valid for a field, and then meet the unknown resource. */
  readonly neverValid?: boolean;
}

/** Never valid in any field: control characters, lone surrogates, the very long string. */
const neverValid = (value: Json) => value === '\u0000' || value === '\ud800' || (typeof value === 'string' && value.length > 50_000);

function casesFor(example: Json): Case[] {
  const json = (label: string, body: Json, pointer: string, never: boolean): Case => ({ label, payload: JSON.stringify(body), contentType: 'application/json', pointer, neverValid: never });
  const cases: Case[] = [];
  for (const path of fieldsOf(example)) {
    for (const value of hostileValues) cases.push(json(`${pointerOf(path)} = ${JSON.stringify(value).slice(0, 20)}`, withField(example, path, value), pointerOf(path), neverValid(value)));
    cases.push(json(`${pointerOf(path)} missing`, withField(example, path, undefined), pointerOf(path.slice(0, -1)), false));
    const value = path.reduce<Json>((v, segment) => (v as Record<string, Json>)[segment]!, example);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      cases.push(json(`an extra field in ${pointerOf(path)}`, withField(example, [...path, 'unexpectedField'], 1), pointerOf([...path, 'unexpectedField']), true));
    }
  }
  cases.push(json('an extra field', { ...(example as Record<string, Json>), unexpectedField: 1 }, '#/unexpectedField', true));
  // The body parser refuses a prototype key outright (400, the body as a whole), before any schema sees it.
  // Written into the JSON text: an object literal would set the prototype instead of holding the key.
  const withKey = (key: string, value: string) => {
    const rest = JSON.stringify(example);
    return `{${JSON.stringify(key)}:${value}${rest === '{}' ? '}' : `,${rest.slice(1)}`}`;
  };
  if (example !== null && typeof example === 'object' && !Array.isArray(example)) {
    cases.push({ label: 'a __proto__ key', payload: withKey('__proto__', '{"admin":true}'), contentType: 'application/json', pointer: '#/__proto__', neverValid: true });
    cases.push({ label: 'a __proto__ key written with an escape', payload: withKey('__proto__', '{"admin":true}').replace('"__proto__"', '"\\u005f_proto__"'), contentType: 'application/json', pointer: '#/__proto__', neverValid: true });
    cases.push({ label: 'a constructor.prototype key', payload: withKey('constructor', '{"prototype":{"admin":true}}'), contentType: 'application/json', pointer: '#/constructor', neverValid: true });
  }
  cases.push({ label: 'invalid JSON', payload: '{"a":', contentType: 'application/json' });
  cases.push({ label: 'a wrong content type', payload: JSON.stringify(example), contentType: 'text/plain' });
  cases.push({ label: 'an oversized body', payload: JSON.stringify({ ...(example as Record<string, Json>), padding: 'x'.repeat(2_000_000) }), contentType: 'application/json' });
  return cases;
}

/**
 * Every field of every operation with a JSON body, as the served OpenAPI document describes them, with each value
 * of a fixed hostile list, missing, and beside an extra field: each answer is a 4xx problem+json naming the field,
 * and nothing is written. Path parameters are fresh random UUIDs, so that a body that passes validation meets an
 * unknown resource (404) instead of changing one.
 */
export function describeFuzzEveryField(start: () => Promise<ApiHarness>): void {
  let api: ApiHarness;
  let operations: Operation[] = [];
  beforeAll(async () => {
    api = await start();
    const document = (await api.app.inject({ method: 'GET', url: '/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, { operationId: string; parameters?: { in: string; name: string; required?: boolean }[]; requestBody?: { content: Record<string, { example?: Json }> } }>>;
    };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).flatMap(([method, op]) => {
        const example = op.requestBody?.content['application/json']?.example;
        if (example === undefined) return [];
        const headers = (op.parameters ?? []).filter((p) => p.in === 'header' && p.required).map((p) => p.name);
        return [{ method, path, operationId: op.operationId, example, headers }];
      }),
    );
  });
  afterAll(() => api.close());

  const head = async () => (await api.ledger.client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${api.ledger.schema}.events`)).rows[0]!.n;

  const authorizationHeader = () => api.as({ roles: ['professional', 'accountant', 'auditor', 'admin', 'directeur', 'analyst'], sub: 'directeur-1' });

  /** Sends the cases of every operation (one operation's in parallel) and returns what broke the rules. */
  async function run(select: (c: Case) => boolean): Promise<{ failures: string[]; sent: number }> {
    const { authorization } = await authorizationHeader();
    const failures: string[] = [];
    let sent = 0;
    for (const operation of operations) {
      const url = operation.path.replace(/\{\w+\}/g, () => randomUUID());
      await Promise.all(
        casesFor(operation.example)
          .filter(select)
          .map(async (c) => {
            const headers: Record<string, string> = { authorization, 'content-type': c.contentType };
            for (const name of operation.headers) headers[name.toLowerCase()] = name.toLowerCase() === 'if-match' ? '"1"' : randomUUID();
            const response = await api.app.inject({ method: operation.method.toUpperCase() as 'POST', url, payload: c.payload, headers });
            sent++;
            const type = String(response.headers['content-type']);
            if (!c.neverValid && response.statusCode < 300) return;
            const problem = type.startsWith('application/problem+json') ? (response.json() as { errors?: { pointer: string }[] }) : undefined;
            const pointers = problem?.errors?.map((e) => e.pointer) ?? [];
            const named = c.pointer === undefined || pointers.some((p) => p === c.pointer || p.startsWith(`${c.pointer === '#/' ? '#' : c.pointer}/`));
            // A body that passed validation meets the unknown resource: refused by state (404, 409, 412), not by a field.
            const validBody = !c.neverValid && [403, 404, 409, 412].includes(response.statusCode);
            if (response.statusCode < 400 || response.statusCode >= 500 || !problem || (!named && !validBody)) {
              failures.push(`${operation.operationId} ${c.label}: ${response.statusCode} ${type.split(';')[0]} ${pointers.join(',')} ${response.body.slice(0, 160)}`);
            }
          }),
      );
    }
    return { failures, sent };
  }

  it('refuses what no field may hold in any field of any operation with 400 problem+json naming the field, writing nothing', async () => {
    expect(operations.length).toBeGreaterThan(10);
    const before = await head();
    const { failures, sent } = await run((c) => c.neverValid === true || c.pointer === undefined);
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(500);
    expect(await head()).toBe(before);
  }, 300_000);

  it('answers every other hostile value, missing field and extra field with 4xx problem+json naming the field, or with the unknown resource', async () => {
    const { failures, sent } = await run((c) => c.neverValid !== true && c.pointer !== undefined);
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(1_000);
  }, 300_000);

  /** `ledger import <file>` in-process against the same ledger: its printed lines and the error it ends with. */
  async function ledgerImport(file: string): Promise<{ lines: string[]; error?: unknown }> {
    const lines: string[] = [];
    const context: CliContext = { open: async () => ({ ...api.ledger, close: async () => undefined }), print: (line) => lines.push(line), issueToken: () => Promise.reject(new Error('not used')) };
    const error = await buildProgram(context)
      .parseAsync(['node', 'ledger', 'import', file])
      .then(() => undefined, (e: unknown) => e);
    return { lines, error };
  }

  it('refuses the import operation\'s hostile documents from a file through `ledger import` as well, naming the field, writing nothing', async () => {
    const { example } = operations.find((o) => o.operationId === 'importHouseholds')!;
    const file = join(mkdtempSync(join(tmpdir(), 'ledger-import-')), 'document.json');
    const before = await head();
    const failures: string[] = [];
    // A file has no content type; every other case that must be refused is refused from a file too.
    const cases = casesFor(example).filter((c) => c.contentType === 'application/json' && (c.neverValid === true || c.pointer === undefined));
    for (const c of cases) {
      writeFileSync(file, c.payload);
      const { lines, error } = await ledgerImport(file);
      const pointers = lines.flatMap((line) => /^invalid +(#\S*): /.exec(line)?.[1] ?? []);
      const named = c.pointer === undefined || pointers.some((p) => p === c.pointer || p.startsWith(`${c.pointer}/`));
      const refused = error instanceof Error && error.message.endsWith('nothing was imported');
      if (!refused || !named) failures.push(`${c.label}: ${String(error).slice(0, 120)} | ${lines.join(' | ').slice(0, 160)}`);
    }
    expect(failures).toEqual([]);
    expect(cases.length).toBeGreaterThan(100);
    expect(await head()).toBe(before);
  }, 300_000);
}
