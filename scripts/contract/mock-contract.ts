import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listOperations, loadContract, type JsonObject } from './contract-document';

/**
 * The contract as the Prism mock serves it, written when the mock starts:
 *  - examples marked `x-mock-time: { field: offsetSeconds }` get that field set relative to now (a 10-digit
 *    value stays Unix seconds, anything else becomes ISO 8601), so a pending order's lock is in the future;
 *  - an operation's 422 moves to `default`: Prism answers an invalid request with the operation's 422 before its
 *    400, while the server answers 400 VALIDATION_FAILED (e.g. POST /orders without an Idempotency-Key).
 *    `Prefer: code=422` still finds it, through `default`.
 */

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function retime(value: unknown, offsetSeconds: number, now: Date): string {
  const at = now.getTime() + offsetSeconds * 1000;
  return typeof value === 'string' && /^\d{10}$/.test(value) ? String(Math.floor(at / 1000)) : new Date(at).toISOString();
}

function refreshExample(example: JsonObject, now: Date): void {
  const times = example['x-mock-time'];
  if (!isObject(times) || !isObject(example.value)) return;
  const value = { ...example.value };
  for (const [field, offset] of Object.entries(times)) value[field] = retime(value[field], Number(offset), now);
  example.value = value;
}

function visit(node: unknown, now: Date): void {
  if (Array.isArray(node)) node.forEach((child) => visit(child, now));
  if (!isObject(node)) return;
  if ('x-mock-time' in node) refreshExample(node, now);
  Object.values(node).forEach((child) => visit(child, now));
}

/** The contract with every `x-mock-time` example set relative to `now` (what the mock's answers are compared with). */
export function refreshMockTimes(contract: JsonObject, now: Date): JsonObject {
  const copy = structuredClone(contract);
  visit(copy, now);
  return copy;
}

/** The copy Prism serves: like `refreshed`, with 422s under `default` where a 400 exists. */
export function servedByMock(refreshed: JsonObject): JsonObject {
  const copy = structuredClone(refreshed);
  for (const { operation } of listOperations(copy)) {
    const responses = operation.responses as JsonObject | undefined;
    if (!responses?.['400'] || !responses['422'] || responses.default) continue;
    responses.default = responses['422'];
    delete responses['422'];
  }
  return copy;
}

export interface MockContract {
  /** The file to give `prism mock`. */
  file: string;
  /** The documented contract with the mock's times: what every mock answer must equal. */
  documented: JsonObject;
}

export function writeMockContract(dir: string, now = new Date(), contract = loadContract()): MockContract {
  const documented = refreshMockTimes(contract, now);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'openapi.mock.json');
  writeFileSync(file, `${JSON.stringify(servedByMock(documented), null, 2)}\n`);
  return { file, documented };
}
