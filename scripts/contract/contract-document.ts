import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

/** The parts of openapi.yaml the contract checks read; everything else stays `unknown`. */
export type JsonObject = Record<string, unknown>;

export interface ContractOperation {
  method: string;
  path: string;
  operationId: string;
  operation: JsonObject;
}

export const ROOT = resolve(__dirname, '..', '..');
export const CONTRACT_FILE = resolve(ROOT, 'openapi.yaml');

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export function loadContract(file: string = CONTRACT_FILE): JsonObject {
  return parse(readFileSync(file, 'utf8')) as JsonObject;
}

export function listOperations(contract: JsonObject): ContractOperation[] {
  const paths = (contract.paths ?? {}) as Record<string, JsonObject>;
  return Object.entries(paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method] !== undefined).map((method) => {
      const operation = item[method] as JsonObject;
      return { method: method.toUpperCase(), path, operationId: String(operation.operationId ?? `${method} ${path}`), operation };
    }),
  );
}

/** Follows a local `$ref` (`#/components/...`) until it reaches a real object. */
export function resolveRef<T = JsonObject>(contract: JsonObject, value: unknown): T {
  let current = value as JsonObject;
  for (let depth = 0; typeof current?.$ref === 'string'; depth += 1) {
    if (depth > 20) throw new Error(`$ref loop at ${String(current.$ref)}`);
    const pointer = (current.$ref as string).replace(/^#\//, '').split('/');
    current = pointer.reduce<JsonObject>((node, key) => node[key.replace(/~1/g, '/').replace(/~0/g, '~')] as JsonObject, contract);
  }
  return current as T;
}

/** True unless the operation opts out with `security: []` (or the document has no security at all). */
export function requiresToken(contract: JsonObject, operation: JsonObject): boolean {
  const security = (operation.security ?? contract.security ?? []) as unknown[];
  return security.length > 0;
}
