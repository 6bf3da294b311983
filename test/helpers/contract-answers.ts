import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { listOperations, loadContract, resolveRef, type ContractOperation, type JsonObject } from '../../scripts/contract/contract-document';
import { contractJsonSchemas } from '../../scripts/contract/json-schemas';
import { ALL_CODES, problemCatalog } from '../../scripts/contract/problem-codes';

/** What came back over HTTP, as the checker needs it. */
export interface Answer {
  method: string;
  /** The path as sent, percent-encoded, without the query string. */
  path: string;
  status: number;
  contentType: string | null;
  text: string;
}

/**
 * Checks an answer against openapi.yaml: the status is documented for the operation the request reached, the
 * media type is the documented one, and the body matches its schema. An answer outside every operation must be
 * a problem whose code the contract lists (404 NOT_FOUND, 405 METHOD_NOT_ALLOWED, 400 for an unreadable path…).
 */
export function createContractChecker(contract: JsonObject = loadContract()) {
  const ajv = new Ajv({ allErrors: false, strict: false });
  addFormats(ajv);
  const problemValidator = ajv.compile(contractJsonSchemas(contract).Problem as JsonObject);
  const { entries } = problemCatalog(contract, ALL_CODES);
  const validators = new Map<unknown, ValidateFunction>();
  const validatorFor = (schema: unknown): ValidateFunction => {
    let validator = validators.get(schema);
    if (!validator) {
      validator = ajv.compile(inlineSchema(contract, schema));
      validators.set(schema, validator);
    }
    return validator;
  };
  const operations = listOperations(contract).map((operation) => ({ operation, matcher: templateMatcher(operation.path) }));

  const operationFor = (method: string, path: string): ContractOperation | undefined =>
    operations.find(({ operation, matcher }) => operation.method === method && matcher.test(path))?.operation;

  function checkProblem(body: unknown, status: number): string[] {
    if (!problemValidator(body)) return [`problem body breaks the Problem schema: ${ajv.errorsText(problemValidator.errors)}`];
    const { code, status: bodyStatus } = body as { code: string; status: number };
    const entry = entries[code];
    if (!entry) return [`problem code ${code} is not in the problem catalogue`];
    if (entry.status !== status || bodyStatus !== status) return [`problem ${code} answered as ${status}, ProblemCode says ${entry.status}`];
    return [];
  }

  return {
    operationFor,
    /** Empty when the answer is one the contract documents. */
    check(answer: Answer): string[] {
      const mediaType = answer.contentType?.split(';')[0]?.trim() ?? null;
      const body = parseJson(answer.text);
      const operation = operationFor(answer.method, answer.path);
      if (!operation) {
        if (mediaType !== 'application/problem+json') return [`${answer.status} outside any operation is ${mediaType ?? 'no content'}, not a problem`];
        return checkProblem(body, answer.status);
      }
      const responses = (operation.operation.responses ?? {}) as JsonObject;
      const documented = responses[String(answer.status)] ?? responses[`${String(answer.status)[0]}XX`] ?? responses.default;
      if (!documented) return [`${answer.status} is not documented for ${operation.method} ${operation.path}`];
      const content = (resolveRef(contract, documented).content ?? {}) as Record<string, JsonObject>;
      if (Object.keys(content).length === 0) return answer.text === '' ? [] : [`${answer.status} documents no body, got ${answer.text.slice(0, 200)}`];
      const media = mediaType ? content[mediaType] : undefined;
      if (!media) return [`${answer.status} answered ${mediaType ?? 'no content type'}, documented ${Object.keys(content).join(', ')}`];
      if (body === undefined) return [`${answer.status} body is not JSON: ${answer.text.slice(0, 200)}`];
      if (mediaType === 'application/problem+json') return checkProblem(body, answer.status);
      const validate = validatorFor(media.schema);
      return validate(body) ? [] : [`${answer.status} body breaks its schema: ${ajv.errorsText(validate.errors)}`];
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** `/payments/{orderId}/status` → a pattern where a template segment is any non-empty segment. */
function templateMatcher(template: string): RegExp {
  const segments = template.split('/').map((segment) => (/^\{.+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${segments.join('/')}$`);
}

/** A response schema with every `$ref` inlined (the contract's schemas have no cycles). */
function inlineSchema(contract: JsonObject, schema: unknown): JsonObject {
  const components = contract.components as JsonObject;
  const withRoot = { ...contract, components: { ...components, schemas: { ...(components.schemas as JsonObject), __answer: schema } } };
  return contractJsonSchemas(withRoot).__answer as JsonObject;
}
