import { logOut, token } from './session.js';

export interface FieldError {
  readonly pointer: string;
  readonly detail: string;
}

/** An RFC 9457 problem the API answered with; `errors` point at the fields of the request. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly code: string | undefined,
    readonly errors: readonly FieldError[],
    readonly extra: Readonly<Record<string, unknown>>,
  ) {
    super(title);
  }
}

const LAST_WRITE = 'ledger.lastWrite';

/**
 * Calls the API with the session's token. Reads carry the log position of this tab's last write
 * (`X-Consistent-With`), so that lists and reports show what was just recorded.
 */
export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const bearer = token();
  if (bearer) headers['authorization'] = `Bearer ${bearer}`;
  const lastWrite = sessionStorage.getItem(LAST_WRITE);
  if (method === 'GET' && lastWrite) headers['x-consistent-with'] = lastWrite;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const type = response.headers.get('content-type') ?? '';
  const payload: unknown = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const problem = (typeof payload === 'object' && payload ? payload : {}) as { title?: string; code?: string; errors?: FieldError[] } & Record<string, unknown>;
    if (response.status === 401 && path !== '/v1/development-tokens') {
      logOut();
      location.hash = '#/inloggen';
    }
    throw new ApiProblem(response.status, problem.title ?? response.statusText, problem.code, problem.errors ?? [], problem);
  }
  const position = (payload as { logPosition?: unknown } | null)?.logPosition;
  if (method === 'POST' && typeof position === 'string') sessionStorage.setItem(LAST_WRITE, position);
  return payload as T;
}

let openApi: Promise<Record<string, unknown>> | undefined;

interface FieldSchema {
  readonly properties?: Record<string, FieldSchema>;
  readonly items?: FieldSchema;
  readonly enum?: string[];
  readonly anyOf?: FieldSchema[];
  readonly 'x-enum-descriptions'?: string[];
}

/** The code list of a field of a request body, from the API's own OpenAPI document. */
async function codeList(path: string, property: readonly string[]): Promise<FieldSchema | undefined> {
  openApi ??= api<Record<string, unknown>>('GET', '/v1/openapi.json');
  const document = (await openApi) as { paths: Record<string, { post: { requestBody: { content: { 'application/json': { schema: FieldSchema } } } } }> };
  let schema: FieldSchema | undefined = document.paths[path]?.post.requestBody.content['application/json'].schema;
  for (const name of property) schema = name === '[]' ? schema?.items : schema?.properties?.[name];
  // A code list that also takes free text (a cost line's unit) is anyOf [enum, string]: its known codes.
  return schema?.enum ? schema : schema?.anyOf?.find((option) => option.enum);
}

/**
 * The values a field of a request body may take, from the API's own OpenAPI document, so that the code lists
 * (laws, intervention types, units) are never copied into the pages.
 */
export async function enumOf(path: string, ...property: string[]): Promise<string[]> {
  return (await codeList(path, property))?.enum ?? [];
}

/** The law, scheme or fund each funding-source code stands for, as the API's OpenAPI document names them. */
export async function lawNames(): Promise<Readonly<Record<string, string>>> {
  const schema = await codeList('/v1/plans/{planId}/cost-lines', ['fundingSource']);
  const names = schema?.['x-enum-descriptions'] ?? [];
  return Object.fromEntries((schema?.enum ?? []).map((code, i) => [code, names[i] ?? code]));
}
