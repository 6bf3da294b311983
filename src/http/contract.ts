import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

/** Finds `openapi.yaml` at the project root, whether running from `src/` or from the compiled `dist/src/`. */
export function contractPath(from: string = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'openapi.yaml');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('openapi.yaml not found above ' + from);
}

/** openapi.yaml parsed, for checks built once at start. */
export function readContract(file: string = contractPath()): Record<string, unknown> {
  return parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}
