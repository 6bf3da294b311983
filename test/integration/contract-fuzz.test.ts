import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { loadContract } from '../../scripts/contract/contract-document';
import { createContractChecker } from '../helpers/contract-answers';
import { fuzzRequests, type FuzzRequest } from './fuzz/fuzz-requests';
import { openRowSnapshots } from './fuzz/row-snapshot';
import { closeRawAgent, sendRaw } from './fuzz/send-raw';
import { createFreshDatabase, type FreshDatabase } from './helpers/fresh-database';
import { call } from './helpers/http-client';
import { startTestStack, type TestStack } from './helpers/test-stack';
import { createPendingOrder, loginAs } from './helpers/travelers';

// A fixed seed by default, so CI replays the same requests; FUZZ_SEED and FUZZ_RUNS explore further.
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);

/**
 * Property: whatever a client sends to any operation of openapi.yaml, valid or near-valid, the running server
 * never answers 5xx, never goes down, answers only what the contract documents, and a refused request changes
 * no row. The stack has a database of its own, so other test files cannot change rows meanwhile.
 */
describe('the contract under fuzzed requests', () => {
  const contract = loadContract();
  const checker = createContractChecker(contract);
  let database: FreshDatabase;
  let stack: TestStack;
  let snapshots: Awaited<ReturnType<typeof openRowSnapshots>>;
  let requests: fc.Arbitrary<FuzzRequest>;
  beforeAll(async () => {
    database = await createFreshDatabase('fuzz');
    stack = await startTestStack({ env: { DATABASE_URL: database.url } });
    const traveler = await loginAs(stack);
    const other = await loginAs(stack);
    const orderIds = [(await createPendingOrder(stack, traveler)).order_id, (await createPendingOrder(stack, other)).order_id, randomUUID()];
    requests = fuzzRequests(contract, { token: traveler.token, otherToken: other.token, orderIds, openids: [traveler.openid, other.openid] });
    snapshots = await openRowSnapshots(database.url);
  });
  afterAll(async () => {
    closeRawAgent();
    await snapshots?.close();
    await stack?.stop();
    await database?.drop();
  });

  it(`never answers 5xx or off-contract, and refused requests change no row (seed ${SEED}, ${RUNS} requests)`, async () => {
    let failure = '';
    const fail = (message: string) => {
      failure = message;
      throw new Error(message);
    };
    const property = fc.asyncProperty(requests, async (request) => {
      const before = await snapshots.take();
      const answer = await sendRaw(stack.api.url, request);
      const sent = `${request.method} ${request.path.slice(0, 200)}${request.query.slice(0, 100)} ${JSON.stringify(request.headers).slice(0, 300)} body ${(request.body ?? '').slice(0, 200)}`;
      const where = `${sent} → ${answer.status} ${answer.text.slice(0, 300)}`;
      if (answer.status >= 500) fail(`5xx: ${where}`);
      const offContract = checker.check({
        method: request.method,
        path: request.path,
        status: answer.status,
        contentType: answer.contentType,
        text: answer.text,
      });
      if (offContract.length > 0) fail(`off contract (${offContract.join('; ')}): ${where}`);
      if (answer.status >= 400 && (await snapshots.take()) !== before) fail(`refused, yet rows changed: ${where}`);
    });
    try {
      await fc.assert(property, { seed: SEED, numRuns: RUNS, endOnFailure: true });
    } catch (err) {
      const replay = `FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} npx jest test/integration/contract-fuzz.test.ts`;
      throw new Error(`contract fuzz failed with seed ${SEED} (replay: ${replay})\n${failure || String(err).slice(0, 2000)}`);
    }
    expect((await call(stack.api.url, 'GET', '/healthz')).status).toBe(200);
  });
});
