import { resolve } from 'node:path';
import { run, type NewmanRunOptions, type NewmanRunSummary } from 'newman';
import { ROOT } from './contract-document';

export const REPORT_DIR = resolve(ROOT, 'reports', 'newman');

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

/**
 * Runs a folder of the collection and resolves with counts and problems (the library sets no exit code).
 * Behind the validation proxy, any `sl-violations` header (Prism found the exchange off-contract) is a problem too.
 */
export function runNewman(label: string, options: NewmanRunOptions, failOnViolations: boolean): Promise<NewmanOutcome> {
  const violations: string[] = [];
  return new Promise((resolvePromise) => {
    run({ timeoutRequest: 30_000, ...options }, (err, summary) => {
      const { requests, assertions } = summary.run.stats;
      resolvePromise({
        label,
        requests: requests.total,
        assertions: assertions.total,
        failedAssertions: assertions.failed,
        problems: [...problemsOf(err, summary), ...violations],
      });
    }).on('request', (_err, args) => {
      const found = args.response?.headers.get('sl-violations');
      if (found && failOnViolations) violations.push(`${args.item.name}: contract violation ${found}`);
    });
  });
}
