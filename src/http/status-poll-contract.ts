import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

export const STATUS_POLL_PATH = '/payments/{orderId}/status';

/** What the status poll route checks, compiled once from openapi.yaml. */
export interface StatusPollContract {
  /** The `orderId` path parameter's schema. */
  isValidOrderId(orderId: string): boolean;
  /** Development and test (VALIDATE_RESPONSES): the body's schema for a status, or why it does not match. */
  responseProblem?(status: number, body: unknown): string | undefined;
}

/** `#/components/responses/Unauthorized` → that object of the document. */
function resolve(contract: Json, value: unknown): Json {
  const ref = (value as Json | undefined)?.$ref;
  if (typeof ref !== 'string') return (value ?? {}) as Json;
  if (!ref.startsWith('#/')) throw new Error(`openapi.yaml: only local references are supported, not ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .reduce<Json>((node, key) => (node[key.replace(/~1/g, '/').replace(/~0/g, '~')] ?? {}) as Json, contract);
}

/**
 * The route is answered ahead of Express, so its checks must be exactly the contract's: one path parameter and
 * the document's bearer security. A change to either in openapi.yaml stops the API at start instead of drifting.
 */
function statusPollOperation(contract: Json): { orderId: Json; responses: Json } {
  const operation = resolve(contract, ((contract.paths as Json | undefined)?.[STATUS_POLL_PATH] as Json | undefined)?.get);
  const parameters = ((operation.parameters ?? []) as unknown[]).map((parameter) => resolve(contract, parameter));
  const [orderId] = parameters;
  if (parameters.length !== 1 || orderId?.name !== 'orderId' || orderId.in !== 'path' || orderId.required !== true) {
    throw new Error(`openapi.yaml: GET ${STATUS_POLL_PATH} must have exactly the required path parameter orderId, as the status poll route checks`);
  }
  const security = JSON.stringify(operation.security ?? contract.security);
  if (security !== JSON.stringify([{ bearerAuth: [] }])) {
    throw new Error(`openapi.yaml: GET ${STATUS_POLL_PATH} must be secured by bearerAuth alone, as the status poll route checks`);
  }
  return { orderId: orderId.schema as Json, responses: (operation.responses ?? {}) as Json };
}

function contractAjv(contract: Json): Ajv {
  // OpenAPI's own keywords (example, x-…, discriminator) are not JSON Schema: ignored, as the validator does.
  const ajv = new Ajv({ strict: false, allErrors: false });
  addFormats(ajv);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addSchema({ components: contract.components }, 'contract');
  return ajv;
}

/** A response's JSON body schema, compiled against the document's components. */
function compileResponse(ajv: Ajv, contract: Json, response: unknown): ValidateFunction | undefined {
  const content = (resolve(contract, response).content ?? {}) as Json;
  const media = (content['application/json'] ?? content['application/problem+json']) as Json | undefined;
  const schema = media?.schema as Json | undefined;
  if (!schema) return undefined;
  if (typeof schema.$ref !== 'string') throw new Error(`openapi.yaml: GET ${STATUS_POLL_PATH} responses must name a component schema`);
  return ajv.compile({ $ref: `contract${schema.$ref}` });
}

export function compileStatusPollContract(contract: Json, validateResponses: boolean): StatusPollContract {
  const operation = statusPollOperation(contract);
  const ajv = contractAjv(contract);
  const orderId = ajv.compile(operation.orderId);
  const checks: StatusPollContract = { isValidOrderId: (value) => orderId(value) };
  if (!validateResponses) return checks;
  const bodies = new Map(Object.entries(operation.responses).map(([status, response]) => [status, compileResponse(ajv, contract, response)]));
  checks.responseProblem = (status, body) => {
    if (!bodies.has(String(status))) return `status ${status} is not documented for GET ${STATUS_POLL_PATH}`;
    const validate = bodies.get(String(status));
    // express-openapi-validator leaves 5xx bodies alone: so does this.
    if (!validate || status >= 500 || validate(body)) return undefined;
    return `.response${ajv.errorsText(validate.errors, { dataVar: '' })}`;
  };
  return checks;
}
