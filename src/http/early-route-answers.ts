import type { IncomingMessage, ServerResponse } from 'node:http';
import proxyaddr from 'proxy-addr';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { problemAnswerFor } from './error-handler';
import { problemBody } from './problem';
import { assignRequestId } from './request-id';

/** Handles the request, or returns false and leaves it to Express. */
export type EarlyRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface EarlyAnswerDeps {
  metrics: Metrics;
  logger: Logger;
  /** Express's compiled `trust proxy` setting: the logged client address is the one Express would log. */
  trustProxy: (address: string, hop: number) => boolean;
}

export interface Answer {
  status: number;
  /** No body: nothing is written after the headers (204). */
  body?: unknown;
  type?: 'application/json' | 'application/problem+json';
  headers?: Record<string, string>;
}

/** One request answered ahead of Express, with what Express's middleware would have given it. */
export interface EarlyExchange {
  requestId: string;
  /** As pino-http's `req.log`: every line names the request, and the logger's redaction applies (a use case may log anything). */
  readonly log: Logger;
  /** An error answered as Express's error handler answers it: a problem with a stable code and the request id. */
  problem(err: unknown): Answer;
  /** Writes the answer, then the access line and the duration sample as pino-http and the metrics middleware do. */
  send(answer: Answer): void;
}

/** Starts an exchange: assigns the request id and starts the timer. `route` is Express's route path, the metrics label. */
export type BeginExchange = (req: IncomingMessage, res: ServerResponse, route: string) => EarlyExchange;

export function earlyRouteAnswers(deps: EarlyAnswerDeps): BeginExchange {
  // The access line holds the request id, method, path, address, status and time only: nothing to redact, and
  // the logger's redaction walk was a measurable share of an early route's cost.
  const accessLog = deps.logger.child({}, { redact: [] });
  return (req, res, route) => {
    const started = Date.now();
    const method = req.method ?? 'GET';
    const stopTimer = deps.metrics.httpRequestDuration.startTimer({ method });
    const requestId = assignRequestId(req, res);
    const access = { id: requestId, method, url: req.url, ip: proxyaddr(req, deps.trustProxy) };
    let log: Logger | undefined;
    const exchange: EarlyExchange = {
      requestId,
      get log() {
        return (log ??= deps.logger.child({ req: access }));
      },
      problem(err) {
        const { problem, headers } = problemAnswerFor(err, requestId, exchange.log);
        return { status: problem.status, body: problemBody(problem), type: 'application/problem+json', headers };
      },
      send(answer) {
        // As the metrics middleware: an answer that never reaches the client (it hung up) is not sampled.
        res.once('finish', () => stopTimer({ route, status: String(answer.status) }));
        writeAnswer(res, answer);
        logAccess(accessLog, access, answer.status, Date.now() - started, req.readableAborted);
      },
    };
    return exchange;
  };
}

/** What `res.json` writes (UTF-8 JSON with its length), or the bare status for an answer without a body. */
function writeAnswer(res: ServerResponse, answer: Answer): void {
  if (answer.body === undefined) {
    res.writeHead(answer.status, answer.headers).end();
    return;
  }
  const json = JSON.stringify(answer.body);
  const type = `${answer.type ?? 'application/json'}; charset=utf-8`;
  res.writeHead(answer.status, { ...answer.headers, 'Content-Type': type, 'Content-Length': Buffer.byteLength(json) });
  res.end(json);
}

/** The line pino-http writes for every other route, at the same levels and with the same messages. */
function logAccess(logger: Logger, req: Record<string, unknown>, statusCode: number, responseTime: number, aborted: boolean): void {
  const line = { req, res: { statusCode }, responseTime };
  const message = aborted ? 'request aborted' : 'request completed';
  if (statusCode >= 500) logger.error(line, `request failed with status ${statusCode}`);
  else if (statusCode >= 400) logger.warn(line, message);
  else logger.info(line, message);
}
