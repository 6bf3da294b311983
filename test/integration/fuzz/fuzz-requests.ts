/// <reference lib="es2024.string" />
import fc from 'fast-check';
import { listOperations, requiresToken, resolveRef, type ContractOperation, type JsonObject } from '../../../scripts/contract/contract-document';
import { nearValid, strangeString, validString, validValue, type Hints } from './schema-arbitraries';

export interface FuzzRequest {
  method: string;
  /** Percent-encoded, as sent. */
  path: string;
  query: string;
  headers: Record<string, string>;
  body?: string;
}

/** What the generator may use: real ids and tokens of the running stack, so valid requests get past auth and lookups. */
export interface FuzzWorld {
  token: string;
  otherToken: string;
  /** Ids of orders of the traveler, of another traveler, and unknown ones. */
  orderIds: string[];
  /** The traveler's openid and another's. */
  openids: string[];
}

function hintsOf(world: FuzzWorld): Hints {
  const orderId = fc.constantFrom(...world.orderIds);
  return { order_id: orderId, orderId, openid: fc.constantFrom(...world.openids) };
}

// Lone surrogates cannot be percent-encoded: their UTF-8-looking bytes (%ED%A0%BD) stand in for them.
const ODD_SEGMENTS = ['..', '.', '%00', 'a%00b', '%ED%A0%BD', '%E0%A4%A', '%2F', '%F0%9F%98%80', '%20', 'x'.repeat(65), 'x'.repeat(3000), '-1', '0', '%25'];
const CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
];
const OTHER_METHODS = ['PUT', 'PATCH', 'DELETE', 'GET', 'POST'];

/** Printable ASCII only: Node's HTTP client refuses anything else in a header, before it is sent. */
const headerText = (maxLength: number) => fc.string({ unit: 'grapheme-ascii', minLength: 0, maxLength });

function pathSegment(world: FuzzWorld): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...world.orderIds) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_SEGMENTS) },
    { weight: 1, arbitrary: strangeString().map((text) => encodeURIComponent(text.slice(0, 300).toWellFormed()).replace(/%2F/gi, '')) },
  );
}

function authorization(world: FuzzWorld): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(`Bearer ${world.token}`) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, `Bearer ${world.otherToken}`, `Bearer ${world.token}x`, 'Bearer ', 'Basic YWxpY2U6c2VjcmV0') },
    { weight: 1, arbitrary: headerText(300).map((junk) => `Bearer ${junk}`) },
  );
}

function headerValue(contract: JsonObject, parameter: JsonObject): fc.Arbitrary<string | undefined> {
  const schema = resolveRef(contract, parameter.schema);
  return fc.oneof(
    { weight: 5, arbitrary: validString(schema) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.oneof(headerText(4), headerText(200), fc.constant('x'.repeat(3000))) },
  );
}

function query(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constantFrom('?x=1', '?x=%00', '?order_id=1&order_id=2', '?%ED%A0%BD=1', `?${'p='.repeat(2000)}`) },
  );
}

/** A JSON body: valid, near-valid, not an object, not JSON, or too large; usually as application/json. */
function jsonBody(contract: JsonObject, schema: unknown, hints: Hints): fc.Arbitrary<{ body?: string; contentType?: string }> {
  const text = fc.oneof(
    { weight: 4, arbitrary: validValue(contract, schema, hints).map((value) => JSON.stringify(value)) },
    { weight: 6, arbitrary: nearValid(contract, schema, hints).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '{"a":', 'null', '[]', '"text"', '123', '{"a":1}{"b":2}', '\u0000') },
    { weight: 1, arbitrary: fc.constantFrom(17 * 1024, 70 * 1024).map((size) => JSON.stringify({ padding: 'x'.repeat(size) })) },
  );
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    { weight: 1, arbitrary: fc.constantFrom(undefined, ...CONTENT_TYPES) },
  );
  return fc.record({ body: text, contentType });
}

/** A body where the operation has none: usually nothing, sometimes JSON or too much of it. */
function strayBody(): fc.Arbitrary<{ body?: string; contentType?: string }> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant({}) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('{"a":1}', JSON.stringify({ padding: 'x'.repeat(17 * 1024) })).map((body) => ({ body, contentType: 'application/json' })),
    },
    { weight: 1, arbitrary: fc.constant({ body: 'plain', contentType: 'text/plain' }) },
  );
}

function operationRequest(contract: JsonObject, world: FuzzWorld, { method, path, operation }: ContractOperation): fc.Arbitrary<FuzzRequest> {
  const parameters = ((operation.parameters ?? []) as unknown[]).map((ref) => resolveRef(contract, ref));
  const segments = path.split('/').map((segment) => (/^\{.+\}$/.test(segment) ? pathSegment(world) : fc.constant(segment)));
  const headerParameters = parameters.filter((parameter) => parameter.in === 'header');
  const headers = fc.tuple(...headerParameters.map((parameter) => headerValue(contract, parameter)));
  const media = ((resolveRef(contract, operation.requestBody ?? {}).content ?? {}) as Record<string, JsonObject>)['application/json'];
  const body = media ? jsonBody(contract, media.schema, hintsOf(world)) : strayBody();
  const auth = requiresToken(contract, operation) ? authorization(world) : fc.constant(undefined);
  const accept = fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('application/json', 'text/html', '*/*', 'application/problem+json', 'image/png') },
  );
  const verb = fc.oneof({ weight: 12, arbitrary: fc.constant(method) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS) });
  return fc.record({ verb, segments: fc.tuple(...segments), query: query(), headers, body, auth, accept }).map((drawn) => {
    const sent: Record<string, string> = {};
    headerParameters.forEach((parameter, i) => {
      const value = drawn.headers[i];
      if (value !== undefined) sent[String(parameter.name)] = value;
    });
    if (drawn.auth !== undefined) sent.authorization = drawn.auth;
    if (drawn.accept !== undefined) sent.accept = drawn.accept;
    if (drawn.body.contentType !== undefined) sent['content-type'] = drawn.body.contentType;
    return { method: drawn.verb, path: drawn.segments.join('/'), query: drawn.query, headers: sent, body: drawn.body.body };
  });
}

/** Valid and near-valid requests for every operation openapi.yaml lists, new ones included as they are added. */
export function fuzzRequests(contract: JsonObject, world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  // An operation without parameters or body has little to vary: it gets a smaller share of the requests.
  const weightOf = ({ operation }: ContractOperation) => (operation.parameters || operation.requestBody || requiresToken(contract, operation) ? 3 : 1);
  return fc.oneof(...listOperations(contract).map((operation) => ({ weight: weightOf(operation), arbitrary: operationRequest(contract, world, operation) })));
}
