import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONTRACT_FILE, ROOT } from './contract-document';

export interface LintOutcome {
  errors: number;
  warnings: number;
  problems: string[];
}

interface SpectralResult {
  code: string;
  message: string;
  severity: number; // 0 error, 1 warning, 2 info, 3 hint
  path: string[];
  range: { start: { line: number; character: number } };
}

/**
 * Spectral with .spectral.yaml (spectral:oas + OWASP): prints the usual report, returns the error count.
 * Warnings are shown but pass; `jsonReport` keeps the results for CI.
 */
export function lintContract(jsonReport: string): Promise<LintOutcome> {
  const bin = resolve(ROOT, 'node_modules', '.bin', 'spectral');
  const args = ['lint', CONTRACT_FILE, '--ruleset', resolve(ROOT, '.spectral.yaml'), '-f', 'stylish', '-f', 'json', '--output.json', jsonReport];
  rmSync(jsonReport, { force: true });
  return new Promise((resolvePromise) => {
    // Spectral exits 1 when it finds errors; the JSON report says which.
    execFile(bin, args, { cwd: ROOT }, (err, stdout, stderr) => {
      process.stdout.write(stdout);
      let results: SpectralResult[];
      try {
        results = JSON.parse(readFileSync(jsonReport, 'utf8')) as SpectralResult[];
      } catch {
        resolvePromise({ errors: 1, warnings: 0, problems: [`spectral did not run: ${err?.message ?? ''} ${stderr}`.trim()] });
        return;
      }
      const errors = results.filter((result) => result.severity === 0);
      resolvePromise({
        errors: errors.length,
        warnings: results.filter((result) => result.severity === 1).length,
        problems: errors.map((e) => `lint ${e.code} at ${e.path.join('.')} (line ${e.range.start.line + 1}): ${e.message}`),
      });
    });
  });
}
