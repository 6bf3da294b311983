import type { IncomingMessage, ServerResponse } from 'node:http';
import proxyaddr from 'proxy-addr';
import type { AuthService } from '../auth/auth-service';
import type { Traveler } from '../auth/traveler-tokens';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { PaymentsService } from '../payments/payments-service';
import { bearerToken } from './authenticate';
import { problemAnswerFor } from './error-handler';
import { problemBody } from './problem';
import { assignRequestId } from './request-id';
import type { StatusPollContract } from './status-poll-contract';

export interface StatusPollRouteDeps {
  auth: AuthService;
  payments: PaymentsService;
  metrics: Metrics;
  logger: Logger;
  contract: StatusPollContract;
  /** Express's compiled `trust proxy` setting: the logged client address is the one Express would log. */
  trustProxy: (address: string, hop: number) => boolean;
}

/** Handles the request, or returns false and leaves it to Express. */
export type StatusPollRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

// A segment with `%` is percent-encoded: Express decodes it, and its validator answers for it.
const POLL_URL = /^\/payments\/([^/?#%]+)\/status$/;
/** Express's route path: one metrics label for the route, whichever of the two answered it. */
const ROUTE_LABEL = '/payments/:orderId/status';

function authenticated(auth: AuthService, authorization: string | undefined): Traveler | undefined {
  const token = bearerToken(authorization);
  if (!token) return undefined;
  try {
    return auth.authenticate(token);
  } catch {
    return undefined;
  }
}

const hasBody = (req: IncomingMessage) => req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';

/**
 * `GET /payments/{orderId}/status`, answered ahead of Express: every paying traveler polls it every 3 s, and the
 * middleware chain cost more than the answer. It takes only a request it has fully checked against openapi.yaml
 * (the path parameter's schema, the bearer token, no query string, no body); anything else goes on to Express,
 * whose validator and error handler answer it as for every route. Same service call, problems, request id,
 * access line and metrics as the Express route.
 */
export function statusPollRoute(deps: StatusPollRouteDeps): StatusPollRoute {
  // The access line holds the request id, method, path, address, status and time only: nothing to redact, and
  // the logger's redaction walk was a measurable share of this route's cost.
  const accessLog = deps.logger.child({}, { redact: [] });
  return (req, res) => {
    if (req.method !== 'GET') return false;
    const orderId = POLL_URL.exec(req.url ?? '')?.[1];
    if (orderId === undefined || !deps.contract.isValidOrderId(orderId) || hasBody(req)) return false;
    const traveler = authenticated(deps.auth, req.headers.authorization);
    if (!traveler) return false;
    void answerPoll(deps, accessLog, req, res, traveler, orderId);
    return true;
  };
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function problemAnswer(err: unknown, requestId: string, log: Logger): Answer {
  const { problem, headers } = problemAnswerFor(err, requestId, log);
  return { status: problem.status, body: problemBody(problem), headers };
}

async function answerPoll(
  deps: StatusPollRouteDeps,
  accessLog: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  traveler: Traveler,
  orderId: string,
): Promise<void> {
  const started = performance.now();
  const stopTimer = deps.metrics.httpRequestDuration.startTimer({ method: 'GET' });
  const requestId = assignRequestId(req, res);
  const access = { id: requestId, method: 'GET', url: req.url, ip: proxyaddr(req, deps.trustProxy) };
  const errorLog = () => deps.logger.child({ req: access });
  let answer: Answer;
  try {
    answer = { status: 200, body: await deps.payments.getStatus(traveler, orderId) };
  } catch (err) {
    answer = problemAnswer(err, requestId, errorLog());
  }
  const mismatch = deps.contract.responseProblem?.(answer.status, answer.body);
  if (mismatch) answer = problemAnswer(new Error(`response does not match openapi.yaml: ${mismatch}`), requestId, errorLog());
  const json = JSON.stringify(answer.body);
  const type = answer.status === 200 ? 'application/json; charset=utf-8' : 'application/problem+json; charset=utf-8';
  res.writeHead(answer.status, { ...answer.headers, 'Content-Type': type, 'Content-Length': Buffer.byteLength(json) });
  res.end(json);
  stopTimer({ route: ROUTE_LABEL, status: String(answer.status) });
  logAccess(accessLog, access, answer.status, Math.round(performance.now() - started));
}

/** The line pino-http writes for every other route, at the same levels. */
function logAccess(logger: Logger, req: Record<string, unknown>, statusCode: number, responseTime: number): void {
  const line = { req, res: { statusCode }, responseTime };
  if (statusCode >= 500) logger.error(line, `request failed with status ${statusCode}`);
  else if (statusCode >= 400) logger.warn(line, 'request completed');
  else logger.info(line, 'request completed');
}
