import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { run, type NewmanRunOptions, type NewmanRunSummary } from 'newman';
import { ROOT } from './contract-document';
import { findOffHostReferences } from './off-host-references';

export const REPORT_DIR = resolve(ROOT, 'reports', 'newman');

/** htmlextra's own templates load Bootstrap, jQuery and fonts from CDNs; this one is self-contained. */
export const HTML_REPORT_TEMPLATE = resolve(ROOT, 'scripts', 'contract', 'newman-report.hbs');

export interface NewmanOutcome {
  label: string;
  requests: number;
  assertions: number;
  failedAssertions: number;
  /** Everything that should fail the run, one line each: failed assertions, run errors, contract violations. */
  problems: string[];
}

/** Where a report named `wechat-payment-session<suffix>.<ext>` goes. */
export const reportFile = (suffix: string, ext: string) => resolve(REPORT_DIR, `wechat-payment-session${suffix}.${ext}`);

function problemsOf(err: Error | null, summary: NewmanRunSummary): string[] {
  const problems = summary.run.failures.map(({ error, source }) => `${source?.name ?? '?'}: ${error.test ? `${error.test}: ` : ''}${error.message}`);
  if (err) problems.push(`newman: ${err.message}`);
  if (summary.run.error) problems.push(`run error: ${summary.run.error.message}`);
  return problems;
}

function withLocalHtmlTemplate(options: NewmanRunOptions): NewmanRunOptions {
  const htmlextra = options.reporter?.htmlextra;
  if (!htmlextra) return options;
  return { ...options, reporter: { ...options.reporter, htmlextra: { template: HTML_REPORT_TEMPLATE, ...htmlextra } } };
}

/** A written HTML report that would fetch anything from another host is a failure of the run. */
function offHostProblems(options: NewmanRunOptions): string[] {
  const file = options.reporter?.htmlextra?.export;
  if (typeof file !== 'string' || !existsSync(file)) return [];
  return findOffHostReferences(readFileSync(file, 'utf8')).map((url) => `${file} loads ${url}: the report must work offline`);
}

/**
 * Runs a folder of the collection and resolves with counts and problems (the library sets no exit code).
 * Behind the validation proxy, any `sl-violations` header (Prism found the exchange off-contract) is a problem too,
 * and so is an HTML report that links another host.
 */
export function runNewman(label: string, options: NewmanRunOptions, failOnViolations: boolean): Promise<NewmanOutcome> {
  const violations: string[] = [];
  return new Promise((resolvePromise) => {
    const runOptions = withLocalHtmlTemplate({ timeoutRequest: 30_000, ...options });
    run(runOptions, (err, summary) => {
      const { requests, assertions } = summary.run.stats;
      resolvePromise({
        label,
        requests: requests.total,
        assertions: assertions.total,
        failedAssertions: assertions.failed,
        problems: [...problemsOf(err, summary), ...violations, ...offHostProblems(runOptions)],
      });
    }).on('request', (_err, args) => {
      const found = args.response?.headers.get('sl-violations');
      if (found && failOnViolations) violations.push(`${args.item.name}: contract violation ${found}`);
    });
  });
}
