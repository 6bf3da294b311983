/**
 * A small vocabulary for writing the Postman collection (v2.1) in TypeScript: requests, folders, and the
 * test snippets every request repeats (status, schema from the contract, problem+json fields).
 */

export interface PostmanScript {
  listen: 'prerequest' | 'test';
  script: { type: 'text/javascript'; exec: string[] };
}

export interface PostmanRequestItem {
  name: string;
  event: PostmanScript[];
  request: {
    method: string;
    header: { key: string; value: string }[];
    auth: { type: 'noauth' } | { type: 'bearer'; bearer: { key: 'token'; value: string; type: 'string' }[] };
    url: string;
    body?: { mode: 'raw'; raw: string; options: { raw: { language: 'json' } } };
    description?: string;
  };
  response: [];
}

export interface PostmanFolder {
  name: string;
  description?: string;
  item: PostmanItem[];
}

export type PostmanItem = PostmanRequestItem | PostmanFolder;

/**
 * Script source: a template literal, or a list of parts run in order. A string part is a template literal
 * (its source indentation is removed); a string[] part is a snippet, already one line per element.
 */
export type ScriptSource = string | (string | string[])[];

export interface RequestSpec {
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  /** The bearer token, usually a variable such as `{{aliceToken}}`; none when absent. */
  token?: string;
  headers?: Record<string, string>;
  /** An object is written as pretty JSON; a string is sent as is (e.g. `{{sessionJson}}`). */
  body?: string | object;
  description?: string;
  prerequest?: ScriptSource;
  test: ScriptSource;
}

/**
 * A template literal → lines without the indentation the TypeScript source adds. When the literal starts
 * right after the backtick, its first line is kept as written and the others lose their common indentation.
 */
function dedent(source: string): string[] {
  const startsOnNewLine = /^[ \t]*\n/.test(source);
  const lines = source.replace(/^[ \t]*\n|\s+$/g, '').split('\n');
  const rest = startsOnNewLine ? lines : lines.slice(1);
  const indents = rest.filter((line) => line.trim()).map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const indent = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line, index) => (index === 0 && !startsOnNewLine ? line : line.slice(indent)));
}

function script(listen: PostmanScript['listen'], source: ScriptSource): PostmanScript {
  const parts = typeof source === 'string' ? [source] : source;
  const exec = parts.flatMap((part) => (typeof part === 'string' ? dedent(part) : part));
  return { listen, script: { type: 'text/javascript', exec } };
}

export function request(spec: RequestSpec): PostmanRequestItem {
  const header = Object.entries(spec.headers ?? {}).map(([key, value]) => ({ key, value }));
  if (spec.body !== undefined) header.push({ key: 'Content-Type', value: 'application/json' });
  const raw = typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body, null, 2);
  return {
    name: spec.name,
    event: [...(spec.prerequest ? [script('prerequest', spec.prerequest)] : []), script('test', spec.test)],
    request: {
      method: spec.method,
      header,
      auth: spec.token ? { type: 'bearer', bearer: [{ key: 'token', value: spec.token, type: 'string' }] } : { type: 'noauth' },
      url: spec.url,
      ...(spec.body !== undefined ? { body: { mode: 'raw', raw, options: { raw: { language: 'json' } } } } : {}),
      ...(spec.description ? { description: spec.description } : {}),
    },
    response: [],
  };
}

export function folder(name: string, description: string, item: PostmanItem[]): PostmanFolder {
  return { name, description, item };
}

// ---- test snippets (JavaScript run by Postman / Newman), one line per element ----

export type Snippet = string[];

/** Indents a snippet by two spaces, to sit inside a block. */
export const inBlock = (snippet: Snippet): Snippet => snippet.map((line) => `  ${line}`);

/** Defines `schema(name)`: the contract's schema, converted to draft-07, from the `contractSchemas` collection variable. */
const useSchemas = "const schema = (name) => JSON.parse(pm.collectionVariables.get('contractSchemas'))[name];";

const expectStatus = (status: number) => `pm.test('status is ${status}', () => pm.response.to.have.status(${status}));`;

const expectSchema = (name: string) => `pm.test('body matches the contract schema ${name}', () => pm.response.to.have.jsonSchema(schema('${name}')));`;

const expectContentType = (pattern: string, label: string) =>
  `pm.test('answers ${label}', () => pm.expect(pm.response.headers.get('Content-Type')).to.match(${pattern}));`;

/** Status, content type and schema of a JSON answer. */
export const expectJson = (status: number, schemaName: string): Snippet => [
  useSchemas,
  expectStatus(status),
  expectContentType('/^application\\/json/', 'application/json'),
  expectSchema(schemaName),
];

/** A problem+json answer with a stable code, whose request_id is the X-Request-Id header. */
export const expectProblem = (status: number, code: string): Snippet => [
  useSchemas,
  expectStatus(status),
  expectContentType('/^application\\/problem\\+json/', 'application/problem+json'),
  expectSchema('Problem'),
  `pm.test('code is ${code}', () => pm.expect(pm.response.json().code).to.eql('${code}'));`,
  `pm.test('status field is ${status}', () => pm.expect(pm.response.json().status).to.eql(${status}));`,
  "pm.test('request_id is the X-Request-Id header', () => pm.expect(pm.response.json().request_id).to.eql(pm.response.headers.get('X-Request-Id')));",
];

/** 429 problem plus a usable Retry-After, remembered in `retryAfter` for the next poll. */
export const expectRateLimited = (): Snippet => [
  ...expectProblem(429, 'RATE_LIMITED'),
  "pm.test('Retry-After is a whole number of seconds', () => pm.expect(pm.response.headers.get('Retry-After')).to.match(/^[1-9][0-9]*$/));",
  "pm.collectionVariables.set('retryAfter', pm.response.headers.get('Retry-After'));",
];
