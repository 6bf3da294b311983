import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { listOperations, resolveRef, ROOT, type JsonObject } from './contract-document';

export interface CodeInSource {
  code: string;
  status?: number;
  file: string;
}

export interface ProblemEntry {
  status: number;
  title: string;
  meaning: string;
  action: string;
  /** `route` / `framework`: answered outside any operation, so no operation (and no mock) can show it. */
  scope?: string;
}

const SOURCE_DIR = join(ROOT, 'src');

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typescriptFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `new AppError(409, 'CODE'`, `code: 'CODE'` (with a `status: 4xx` nearby) and `404: ['CODE', …]` tables. */
const PATTERNS: { regex: RegExp; status?: (match: RegExpExecArray) => number | undefined }[] = [
  { regex: /new AppError\(\s*(\d{3})\s*,\s*'([A-Z][A-Z0-9_]*)'/g, status: (m) => Number(m[1]) },
  { regex: /(\d{3}):\s*\[\s*'([A-Z][A-Z0-9_]*)'/g, status: (m) => Number(m[1]) },
  { regex: /()code:\s*'([A-Z][A-Z0-9_]*)'/g },
];

/**
 * Every problem code the server can produce, wherever it lives in src/: files that build problems (they mention
 * AppError or sendProblem), not the sandbox's WeChat error envelopes or the webhook's `{code:'FAIL'}` answers.
 */
export function problemCodesInSource(dir: string = SOURCE_DIR): CodeInSource[] {
  return typescriptFiles(dir).flatMap((path) => {
    const text = readFileSync(path, 'utf8');
    if (!/\b(AppError|sendProblem)\b/.test(text)) return [];
    const file = relative(ROOT, path);
    return PATTERNS.flatMap(({ regex, status }) =>
      [...text.matchAll(regex)].map((m) => ({ code: m[2] as string, status: status?.(m as RegExpExecArray), file })),
    );
  });
}

/** The traveler API's codes (`ProblemCode`, what the mini program SDK knows) and the operator API's own. */
export const TRAVELER_CODES = ['ProblemCode'];
export const ALL_CODES = ['ProblemCode', 'AdminProblemCode'];

export function problemCatalog(contract: JsonObject, catalogs: readonly string[] = TRAVELER_CODES): { codes: string[]; entries: Record<string, ProblemEntry> } {
  const schemas = ((contract.components as JsonObject | undefined)?.schemas ?? {}) as JsonObject;
  const lists = catalogs.filter((name) => schemas[name] !== undefined).map((name) => resolveRef(contract, { $ref: `#/components/schemas/${name}` }));
  return {
    codes: lists.flatMap((schema) => (schema.enum ?? []) as string[]),
    entries: Object.assign({}, ...lists.map((schema) => (schema['x-problems'] ?? {}) as Record<string, ProblemEntry>)) as Record<string, ProblemEntry>,
  };
}

/** Every problem example of every operation response: where it is, and its body. */
export function problemExamples(contract: JsonObject): { where: string; status: string; value: JsonObject }[] {
  return listOperations(contract).flatMap(({ method, path, operation }) =>
    Object.entries((operation.responses ?? {}) as JsonObject).flatMap(([status, ref]) => {
      const media = ((resolveRef(contract, ref).content ?? {}) as Record<string, JsonObject>)['application/problem+json'];
      return Object.entries((media?.examples ?? {}) as JsonObject).map(([name, example]) => ({
        where: `${method} ${path} ${status} example=${name}`,
        status,
        value: resolveRef(contract, example).value as JsonObject,
      }));
    }),
  );
}

/** Problems with the catalog, the examples and the source; empty when they agree. */
export function checkProblemCodes(contract: JsonObject, inSource: CodeInSource[] = problemCodesInSource()): string[] {
  const { codes, entries } = problemCatalog(contract, ALL_CODES);
  const examples = problemExamples(contract);
  const problems: string[] = [];
  if (new Set(inSource.map((c) => c.code)).size < 10)
    problems.push(`only ${inSource.length} problem codes found in src/: the scan no longer sees how problems are built`);
  const catalogued = Object.keys(entries);
  if (codes.join() !== catalogued.join()) problems.push(`ProblemCode enum and x-problems differ: [${codes.join()}] vs [${catalogued.join()}]`);
  for (const { code, status, file } of inSource) {
    const entry = entries[code];
    if (!entry) problems.push(`${code} (${file}) is not in openapi.yaml's ProblemCode`);
    else if (status !== undefined && entry.status !== status) problems.push(`${code} is ${status} in ${file} but ${entry.status} in ProblemCode`);
    else if (!entry.scope && !examples.some((e) => e.value.code === code))
      problems.push(`${code} (${file}) has no documented example in any operation response`);
  }
  for (const { where, status, value } of examples) {
    const entry = entries[String(value.code)];
    if (!entry) problems.push(`${where}: code ${String(value.code)} is not in ProblemCode`);
    else if (String(entry.status) !== status || value.status !== entry.status)
      problems.push(`${where}: status ${status}/${String(value.status)}, ProblemCode says ${entry.status}`);
    if (value.type !== `/docs/problems#${String(value.code)}`)
      problems.push(`${where}: type ${String(value.type)} is not /docs/problems#${String(value.code)}`);
  }
  return problems;
}
