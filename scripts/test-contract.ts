/**
 * `npm run test:contract`: the contract, the API and the mock agree.
 *   1. Spectral lints openapi.yaml with .spectral.yaml: zero errors.
 *   2. The Postman collection is the one scripts/contract/build-collection.ts builds (schemas from the contract).
 *   3. The API in sandbox mode (temporary DATA_DIR, free ports) behind Prism's validation proxy: Newman runs
 *      the "Sandbox" folder; a response off the contract fails (--errors turns it into a 500 + sl-violations).
 *   4. The Prism mock (on the copy scripts/contract/mock-contract.ts writes: fresh times, 400 before 422): Newman
 *      runs the "Mock-compatible" folder, and every documented (status, example) is served.
 * Step 1 also checks that every problem code in src/ is catalogued in ProblemCode with a documented example.
 * Reports land in reports/newman/. Exits 1 on any failure; stops everything it started, even on failure or Ctrl-C.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { COLLECTION_FILE, collectionIsCurrent } from './contract/build-collection';
import { MOCK_FOLDER } from './contract/collection-mock-items';
import { SANDBOX_FOLDER } from './contract/collection-sandbox-items';
import { checkMockServesEveryExample } from './contract/check-mock-examples';
import { loadContract, ROOT } from './contract/contract-document';
import { lintContract } from './contract/lint-contract';
import { checkProblemCodes } from './contract/problem-codes';
import { stopAllProcesses } from './contract/processes';
import { REPORT_DIR, reportFile, runNewman } from './contract/run-newman';
import { startApi, startMock, startValidationProxy } from './contract/start-services';

interface Tally {
  requests: number;
  assertions: number;
  problems: string[];
}

const startedAt = Date.now();
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
const log = (line: string) => process.stdout.write(`\n== contract [${elapsed()}]: ${line}\n`);

async function lintPhase(tally: Tally): Promise<void> {
  log('lint openapi.yaml (Spectral: spectral:oas + OWASP)');
  const lint = await lintContract(resolve(REPORT_DIR, 'spectral.json'));
  process.stdout.write(`lint: ${lint.errors} errors, ${lint.warnings} warnings\n`);
  tally.problems.push(...lint.problems);
  if (!collectionIsCurrent()) tally.problems.push(`${COLLECTION_FILE} is stale: run npx tsx scripts/contract/build-collection.ts`);
  log('every problem code in src/ is in ProblemCode and has a documented example');
  tally.problems.push(...checkProblemCodes(loadContract()));
}

async function sandboxPhase(tally: Tally): Promise<void> {
  log('start the API in sandbox mode, then Prism validation proxy');
  const api = await startApi(REPORT_DIR);
  const proxyUrl = await startValidationProxy(api.url, REPORT_DIR);
  log(`newman "${SANDBOX_FOLDER}" via the proxy ${proxyUrl} → ${api.url} (sandbox WeChat Pay ${api.sandboxUrl})`);
  const outcome = await runNewman(
    'sandbox',
    {
      collection: COLLECTION_FILE,
      environment: resolve(ROOT, 'postman', 'sandbox.postman_environment.json'),
      envVar: [
        { key: 'baseUrl', value: proxyUrl },
        { key: 'sandboxUrl', value: api.sandboxUrl },
        { key: 'operatorKey', value: api.operatorKey },
      ],
      folder: SANDBOX_FOLDER,
      reporters: ['cli', 'json', 'junit', 'htmlextra'],
      reporter: { json: { export: reportFile('', 'json') }, junit: { export: reportFile('.junit', 'xml') }, htmlextra: { export: reportFile('', 'html') } },
    },
    true,
  );
  tally.requests += outcome.requests;
  tally.assertions += outcome.assertions;
  tally.problems.push(...outcome.problems);
}

async function mockPhase(tally: Tally): Promise<void> {
  log('start the Prism mock');
  const { url: mockUrl, documented } = await startMock(REPORT_DIR);
  log(`newman "${MOCK_FOLDER}" against the mock ${mockUrl}`);
  const outcome = await runNewman(
    'mock',
    {
      collection: COLLECTION_FILE,
      environment: resolve(ROOT, 'postman', 'mock.postman_environment.json'),
      envVar: [{ key: 'baseUrl', value: mockUrl }],
      folder: MOCK_FOLDER,
      reporters: ['cli', 'json'],
      reporter: { json: { export: reportFile('.mock', 'json') } },
    },
    false,
  );
  log('every documented (status, example) of every operation comes back from the mock');
  const examples = await checkMockServesEveryExample(documented, mockUrl);
  process.stdout.write(`mock examples: ${examples.checked} checked, ${examples.problems.length} failed\n`);
  tally.requests += outcome.requests + examples.checked;
  tally.assertions += outcome.assertions + examples.checked;
  tally.problems.push(...outcome.problems, ...examples.problems);
}

async function main(): Promise<number> {
  mkdirSync(REPORT_DIR, { recursive: true });
  const tally: Tally = { requests: 0, assertions: 0, problems: [] };
  for (const phase of [lintPhase, sandboxPhase, mockPhase]) {
    // One phase failing to start (e.g. the server) still lets the others report.
    await phase(tally).catch((err: unknown) => tally.problems.push(`${phase.name}: ${err instanceof Error ? err.message : String(err)}`));
    await stopAllProcesses();
  }
  if (tally.problems.length > 0) process.stdout.write(`\nFailures:\n${tally.problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.stdout.write(`\ncontract: ${tally.requests} requests, ${tally.assertions} assertions, ${tally.problems.length} failed (${elapsed()})\n`);
  return tally.problems.length > 0 ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping what test:contract started\n`);
    void stopAllProcesses().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  })
  .then(async (code) => {
    await stopAllProcesses();
    process.exit(code);
  });
